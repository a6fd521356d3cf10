/*
 * framework_sheet.h - the columns of a framework as a spreadsheet, shared by
 * its import and template (api_framework_sheet.c) and its export
 * (api_framework_export.c), so an exported version re-imports.
 */
#ifndef WENMING_INSPECT_FRAMEWORK_SHEET_H
#define WENMING_INSPECT_FRAMEWORK_SHEET_H

/* The standards sheet (测评体系). */
enum {
	FC_PCODE,
	FC_PROJECT,
	FC_CCODE,
	FC_CONTENT,
	FC_SCODE,
	FC_STANDARD,
	FC_WEIGHT,
	FC_METHODS,
	FC_LEAD,
	FC_UNITS,
	FC_TYPES,
	FC_GRADING,
	FC_SECTION,
	FC_NCOLS
};

extern const char *const fw_columns[FC_NCOLS];

/* The 负面清单 sheet. */
enum { NC_CODE, NC_TITLE, NC_DEDUCTION, NC_VETO, NC_STANDARD, NC_NCOLS };

extern const char *const neg_columns[NC_NCOLS];

/* The 检查项 sheet (checklists per point type). */
enum { KC_TYPE, KC_CODE, KC_TITLE, KC_STANDARD, KC_CATEGORY, KC_NCOLS };

extern const char *const chk_columns[KC_NCOLS];

#endif
