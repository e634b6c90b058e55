#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "library.h"

// Implemented in Go (library.go): receives each block of samples.
extern int narrateEspeakSamples(short *wav, int n, espeak_EVENT *events);

static void *handle;
static int (*initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
static void (*set_callback)(t_espeak_callback *);
static espeak_ERROR (*set_voice)(const char *);
static espeak_ERROR (*set_voice_file)(const char *);
static espeak_ERROR (*set_parameter)(espeak_PARAMETER, int, int);
static espeak_ERROR (*synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int, unsigned int *, void *);
static espeak_ERROR (*terminate)(void);
static const char *(*info)(const char **);
static const espeak_VOICE **(*list_voices)(espeak_VOICE *);

static int lookup(void **fn, const char *name, char *err, size_t errlen) {
	*fn = dlsym(handle, name);
	if (*fn == NULL) {
		snprintf(err, errlen, "libespeak-ng.so.1 has no %s", name);
		return -1;
	}
	return 0;
}

// narrate_espeak_load loads and initialises libespeak-ng, returning its
// sample rate, or -1 with a message in err.
int narrate_espeak_load(char *err, size_t errlen) {
	// The libraries libespeak-ng needs (audio output, some thirty of
	// them) load once and stay, so that a reload costs only espeak-ng's
	// own.
	static void *deps;
	if (deps == NULL) {
		deps = dlopen("libpcaudio.so.0", RTLD_NOW | RTLD_GLOBAL);
		dlopen("libsonic.so.0", RTLD_NOW | RTLD_GLOBAL);
	}
	handle = dlopen("libespeak-ng.so.1", RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	if (lookup((void **)&initialize, "espeak_Initialize", err, errlen) ||
	    lookup((void **)&set_callback, "espeak_SetSynthCallback", err, errlen) ||
	    lookup((void **)&set_voice, "espeak_SetVoiceByName", err, errlen) ||
	    lookup((void **)&set_voice_file, "espeak_SetVoiceByFile", err, errlen) ||
	    lookup((void **)&set_parameter, "espeak_SetParameter", err, errlen) ||
	    lookup((void **)&synth, "espeak_Synth", err, errlen) ||
	    lookup((void **)&terminate, "espeak_Terminate", err, errlen) ||
	    lookup((void **)&info, "espeak_Info", err, errlen) ||
	    lookup((void **)&list_voices, "espeak_ListVoices", err, errlen)) {
		dlclose(handle);
		handle = NULL;
		return -1;
	}
	// Blocks of 60 ms (0), as the espeak-ng program uses: the block size
	// changes where an echoing voice's tail ends (RicishayMax2 at 193
	// words a minute), so a larger one would not match the program.
	int rate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
	if (rate <= 0) {
		snprintf(err, errlen, "espeak_Initialize failed: its data files are missing (install them with: sudo apt-get install espeak-ng-data)");
		dlclose(handle);
		handle = NULL;
		return -1;
	}
	set_callback(narrateEspeakSamples);
	return rate;
}

void narrate_espeak_unload(void) {
	if (handle != NULL) {
		terminate();
		dlclose(handle);
		handle = NULL;
	}
}

const char *narrate_espeak_info(const char **data) { return info(data); }

espeak_ERROR narrate_espeak_voice(const char *name) { return set_voice(name); }

espeak_ERROR narrate_espeak_voice_file(const char *path) { return set_voice_file(path); }

espeak_ERROR narrate_espeak_param(espeak_PARAMETER p, int value) { return set_parameter(p, value, 0); }

// The flags the espeak-ng program uses for "-b 1" input, less
// espeakPHONEMES: book text in [[ ]] is read, not taken as phonemes.
// espeak-ng draws its noise from rand(); a fresh process starts it at
// seed 1, and so does every request here.
//
// espeak-ng (1.51) reads past the end of a buffer on its own stack when
// it translates some clause ends ("Ya verás.", "¿Ves?" in a Spanish
// voice): in the espeak-ng program the read meets the rest of the main
// thread's stack and stops at a zero, but a request here runs near the
// base of a thread's stack, and the read ran off it (SIGSEGV). Zeroed
// slack in this frame, above espeak-ng's, stops it the same way.
espeak_ERROR narrate_espeak_synth(const char *text, size_t size) {
	volatile char slack[64 << 10];
	memset((char *)slack, 0, sizeof slack);
	srand(1);
	espeak_ERROR rc = synth(text, size, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakENDPAUSE, NULL, NULL);
	slack[0] = 0; // keeps the array, and this frame, alive across the call
	return rc;
}

const espeak_VOICE **narrate_espeak_list(const char *language) {
	espeak_VOICE spec = {0};
	spec.languages = language;
	return list_voices(language == NULL ? NULL : &spec);
}
