// The C side of the library engine: libespeak-ng loaded through dlopen,
// so that each request can start from a freshly loaded copy.
#include <stddef.h>
#include <espeak-ng/speak_lib.h>

int narrate_espeak_load(char *err, size_t errlen);
void narrate_espeak_unload(void);
const char *narrate_espeak_info(const char **data);
espeak_ERROR narrate_espeak_voice(const char *name);
espeak_ERROR narrate_espeak_voice_file(const char *path);
espeak_ERROR narrate_espeak_param(espeak_PARAMETER p, int value);
espeak_ERROR narrate_espeak_synth(const char *text, size_t size);
const espeak_VOICE **narrate_espeak_list(const char *language);
