/*
 * fuzz_xlsx.c - the .xlsx reader (zip, shared strings, styles, the first
 * worksheet) and the importers behind it.  Seeds are small workbooks; the
 * dictionary carries the XML names the reader looks for.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_sheet_one(data, size);
	return 0;
}
