// Intel ISA-L's igzip (Debian: libisal-dev; runtime libisal2): gzip at several times zlib's speed.
#include <isa-l/igzip_lib.h>

/// ISA-L's suggested level-1 work buffer size (a macro expression Swift cannot import).
static inline unsigned int blockfleet_isal_level1_buffer_size(void) { return ISAL_DEF_LVL1_DEFAULT; }
