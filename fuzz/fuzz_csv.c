/*
 * fuzz_csv.c - the CSV / tab-separated reader (UTF-8, UTF-16 with a BOM,
 * GB18030; quotes, separators, line ends) and the importers behind it.
 * Inputs that start like a zip belong to fuzz_xlsx and are skipped.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "PK\3\4", 4))
		return 0;
	fuzz_sheet_one(data, size);
	return 0;
}
