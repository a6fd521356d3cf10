/*
 * fuzz_sheet.h - the shared body of the xlsx and csv targets: read the bytes
 * with sheet_read, check what it promises about the result, and when it
 * reads a sheet, upload it to the unit, user and point importers of the
 * real server so their row checks see it too.
 */
#ifndef WENMING_FUZZ_SHEET_H
#define WENMING_FUZZ_SHEET_H

#include <stddef.h>
#include <stdint.h>

void fuzz_sheet_one(const uint8_t *data, size_t size);

#endif
