// Snappy's C API (Debian: libsnappy-dev; runtime libsnappy1v5): the Parquet writer's SNAPPY codec.
#include <snappy-c.h>
