#pragma once
// JSON bodies for tst_http_client (kept out of the moc-read .cpp: moc 6.4 misparses braces
// inside raw strings).
namespace http_bodies {
inline constexpr const char *kForbidden =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"chatgpt-agent\"","reason":"Forbidden","details":{"kind":"pods"},"code":403})";
inline constexpr const char *kVersion = R"({"major":"1"})";
inline constexpr const char *kPromError = R"({"status":"error","error":"shutting down"})";
inline constexpr const char *kPostBody = R"({"spec":{}})";
inline constexpr const char *kGone =
    R"json({"kind":"Status","status":"Failure","message":"too old resource version: 1 (99)","reason":"Expired","code":410})json";
} // namespace http_bodies
