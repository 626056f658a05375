// Zstandard (Debian: libzstd-dev; runtime libzstd1): the default codec of the Parquet writer.
#include <zstd.h>
