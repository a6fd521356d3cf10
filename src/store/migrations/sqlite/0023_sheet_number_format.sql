-- 0023_sheet_number_format: the 交办单 number the office sets on 参数设置
-- (issue 13 C): a pattern with {YYYY} for the year and {NNN} (one N per
-- digit, zero-padded) for the year's sequence, e.g. 交办〔{YYYY}〕{NNN}.
ALTER TABLE tenant_settings ADD COLUMN sheet_number_format TEXT NOT NULL DEFAULT '交办〔{YYYY}〕{NNN}';
