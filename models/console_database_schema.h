#pragma once
// The schema's history, kept in code: migration k turns a version k-1 database into a
// version k one. A database "as version k left it" is migrations 1..k applied in order,
// which is exactly how the migration tests build their starting points.
#include <string_view>

namespace opsdeck::models::schema {

struct Migration {
    int toVersion;
    std::string_view description;
    std::string_view sql;
};

// Ordered by toVersion, starting at 1, no gaps.
const Migration *migrations(int *count);

} // namespace opsdeck::models::schema
