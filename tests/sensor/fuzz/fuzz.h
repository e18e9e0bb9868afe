/* fuzz.h: the libFuzzer entry point every target defines. */
#ifndef CSHQ_SENSOR_FUZZ_H
#define CSHQ_SENSOR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
