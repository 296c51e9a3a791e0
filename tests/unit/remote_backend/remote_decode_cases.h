#pragma once
#include <string>
// JSON bodies for tst_remote_decode, kept out of the .cpp: moc 6.4 misparses braces
// inside raw string literals in files it reads.

inline constexpr const char *kCase0 = R"({"status":"success","data":{"resultType":"vector","result":[)";
inline constexpr const char *kCase1 = R"({"metric":{"a":"1"},"value":[1.5,"NaN"]},)";
inline constexpr const char *kCase2 = R"({"metric":{"a":"2"},"value":[1.5,"+Inf"]},)";
inline constexpr const char *kCase3 = R"({"metric":{"a":"3"},"value":[1.5,"-Inf"]},)";
inline constexpr const char *kCase4 = R"({"metric":{"a":"4"},"value":[1.5,"1e+06"]}]}})";
inline constexpr const char *kCase5 = R"({"status":"success","data":{"resultType":"vec)";
inline constexpr const char *kCase6 = R"({"data":{}})";
inline constexpr const char *kCase7 = R"({"status":"maybe","data":{}})";
inline constexpr const char *kCase8 = R"({"status":"success"})";
inline constexpr const char *kCase9 = R"({"status":"success","data":{"resultType":"blob","result":[]}})";
inline constexpr const char *kCase10 = R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})";
inline constexpr const char *kCase11 = R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"2"]}]}})";
inline constexpr const char *kCase12 = R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}})";
inline constexpr const char *kCase13 = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]}})";
inline constexpr const char *kCase14 = R"({"status":"success","data":{"resultType":"scalar","result":["now","1"]}})";
inline constexpr const char *kCase15 = R"({"silenceID":"915e11e4-b871-47d9-b7ec-56b325e6435a"})";
inline constexpr const char *kCase16 = R"({"silenceID":""})";
inline constexpr const char *kCase17 = R"({"code":612,"message":"matchers in body should have at least 1 items"})";
inline constexpr const char *kCase18 = R"([{"labels":{"a":"b"},"startsAt":"yesterday"}])";
inline constexpr const char *kCase19 = R"([{"labels":{"a":"b"},"fingerprint":"xyz"}])";
inline constexpr const char *kCase20 = R"([{"startsAt":"2026-11-28T12:42:26.225Z"}])";
inline constexpr const char *kCase21 = R"([{"labels":{"a":"b"},"status":{"state":"sleepy"}}])";
inline const std::string kSpecialFloats = std::string(kCase0) + kCase1 + kCase2 + kCase3 + kCase4;
