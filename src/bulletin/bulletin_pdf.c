/*
 * bulletin_pdf.c - a 通报 as an A4 PDF through export/pdf.h: the red
 * masthead with the number, the title, 基本情况 with its figures, 存在的问题
 * (overdue problems by unit, typical problems with before / after photos),
 * the unit table, the red and black lists, 下步工作建议, the attachment line
 * and the sign-off.  Page numbers come from the builder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin/bulletin.h"
#include "export/pdf.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const char *num(struct arena *a, json_t *o, const char *k)
{
	return arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(o, k)));
}

/*
 * The unit table (or a red / black list) of rows; 0 or ERR_*.  Rows from an
 * assessment (with "kind") show kind, total and adjustments; rows from the
 * ranking its counts.
 */
static int units_table(struct pdf_doc *d, json_t *rows, struct arena *a, struct error *e)
{
	static const char *const rank_headers[] = {"名次",     "单位", "应结案",   "已结案",
	                                           "按期结案", "超期", "综合得分", "等级"};
	static const double rank_widths[] = {12, 50, 16, 16, 18, 14, 24, 14};
	static const char *const assess_headers[] = {"名次",     "单位",   "类别",
	                                             "考核得分", "加减分", "等级"};
	static const double assess_widths[] = {14, 60, 26, 26, 22, 22};
	size_t i, n = json_array_size(rows);
	int assess = n && json_object_get(json_array_get(rows, 0), "kind"), nc = assess ? 6 : 8;
	const char **cells;
	json_t *r;

	if (!n) {
		pdf_paragraph(d, "（本期无可排名单位）");
		return 0;
	}
	cells = arena_calloc(a, n * (size_t)nc * sizeof(*cells));
	json_array_foreach(rows, i, r)
	{
		const char **c = &cells[i * (size_t)nc];
		const char *score =
		    arena_printf(a, "%.2f", json_number_value(json_object_get(r, "score")));

		c[0] = num(a, r, "rank");
		c[1] = str(r, "unit_name");
		if (assess) {
			c[2] = str(r, "kind");
			c[3] = score;
			c[4] = arena_printf(a, "%+.1f",
			                    json_number_value(json_object_get(r, "adjust")));
			c[5] = str(r, "grade");
			continue;
		}
		c[2] = num(a, r, "due");
		c[3] = num(a, r, "closed");
		c[4] = num(a, r, "on_time");
		c[5] = num(a, r, "overdue");
		c[6] = score;
		c[7] = str(r, "grade");
	}
	return assess ? pdf_table(d, 6, assess_headers, assess_widths, (int)n, cells, e)
	              : pdf_table(d, 8, rank_headers, rank_widths, (int)n, cells, e);
}

static int figures_table(struct pdf_doc *d, json_t *f, struct arena *a, struct error *e)
{
	static const char *const headers[] = {"项目", "数量", "项目", "数量"};
	static const double widths[] = {55, 30, 55, 30};
	const char *cells[] = {
	    "发现问题（个）",       num(a, f, "problems_found"),
	    "办结问题（个）",       num(a, f, "problems_closed"),
	    "超期未整改（个）",     num(a, f, "problems_overdue"),
	    "督查轮次（轮）",       num(a, f, "inspection_rounds"),
	    "检查点位（个次）",     num(a, f, "inspection_records"),
	    "报送材料（份）",       num(a, f, "materials_submitted"),
	    "材料审核通过（份）",   num(a, f, "materials_approved"),
	    "台账任务（项）",       num(a, f, "tasks_total"),
	    "已完成任务（项）",     num(a, f, "tasks_done"),
	    "超期未完成任务（项）", num(a, f, "tasks_overdue"),
	};

	return pdf_table(d, 4, headers, widths, 5, cells, e);
}

static void typical_problem(struct pdf_doc *d, const struct bulletin_print *pr, json_t *t, int seq,
                            struct arena *a)
{
	json_t *bv = json_object_get(t, "before_file_id"),
	       *av = json_object_get(t, "after_file_id");
	void *before = NULL, *after = NULL;
	size_t blen = 0, alen = 0;
	struct error e;

	pdf_heading(d, 3,
	            arena_printf(a, "%d. %s（%s，%s）", seq, str(t, "category"), str(t, "code"),
	                         *str(t, "unit_name") ? str(t, "unit_name") : "未交办"));
	pdf_paragraph(d,
	              arena_printf(a, "%s%s%s%s 当前状态：%s。%s", *str(t, "place") ? "地点：" : "",
	                           str(t, "place"), *str(t, "place") ? "。" : "",
	                           str(t, "description"), str(t, "status"), str(t, "comment")));
	if (pr->photo && json_is_integer(bv))
		before = pr->photo(pr->ctx, json_integer_value(bv), &blen);
	if (pr->photo && json_is_integer(av))
		after = pr->photo(pr->ctx, json_integer_value(av), &alen);
	if (!before && !after)
		return;
	error_init(&e);
	if (pdf_image_pair(d, before, blen, before ? "整改前" : "整改前（无照片）", after, alen,
	                   after ? "整改后" : "整改后（尚无照片）", 55, &e))
		pdf_paragraph(d, "（照片无法显示）");
}

int bulletin_pdf(const struct bulletin *b, const struct bulletin_print *pr, struct arena *a,
                 void **data, size_t *len, struct error *e)
{
	struct pdf_doc d = PDF_DOC_INIT;
	json_t *c = bulletin_content(b), *ov, *typ, *r;
	size_t i, n;
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = pdf_init(&d, arena_printf(a, "通报 %s", b->number), e)))
		goto out;
	pdf_masthead(&d, "创建文明城市工作督查情况",
	             arena_printf(a, "%s　　　%s", b->number, pr->date));
	pdf_heading(&d, 1, b->title);
	pdf_paragraph(&d, "各乡镇、各部门：");
	pdf_paragraph(&d, arena_printf(a, "现将%s创建文明城市工作督查情况通报如下。",
	                               bulletin_period_text(b, a)));

	pdf_heading(&d, 2, "一、基本情况");
	pdf_paragraph(&d, str(c, "summary"));
	if ((rc = figures_table(&d, json_object_get(c, "figures"), a, e)))
		goto out;

	pdf_heading(&d, 2, "二、存在的问题");
	pdf_heading(&d, 3, "（一）超期未整改问题");
	ov = json_object_get(c, "overdue_units");
	n = json_array_size(ov);
	if (!n) {
		pdf_paragraph(&d, "截至期末，无超期未整改问题。");
	} else {
		static const char *const headers[] = {"序号", "责任单位", "超期未整改问题（个）"};
		static const double widths[] = {16, 100, 50};
		const char **cells = arena_calloc(a, n * 3 * sizeof(*cells));

		json_array_foreach(ov, i, r)
		{
			cells[i * 3] = arena_printf(a, "%zu", i + 1);
			cells[i * 3 + 1] = str(r, "unit_name");
			cells[i * 3 + 2] = num(a, r, "count");
		}
		if ((rc = pdf_table(&d, 3, headers, widths, (int)n, cells, e)))
			goto out;
	}
	pdf_heading(&d, 3, "（二）典型问题");
	typ = json_object_get(c, "typical");
	if (!json_array_size(typ))
		pdf_paragraph(&d, "本期未列典型问题。");
	json_array_foreach(typ, i, r) typical_problem(&d, pr, r, (int)i + 1, a);

	pdf_heading(&d, 2, "三、单位排名");
	pdf_paragraph(&d, str(c, "basis_note"));
	if ((rc = units_table(&d, json_object_get(c, "units"), a, e)))
		goto out;

	pdf_heading(&d, 2, "四、红黑榜");
	pdf_heading(&d, 3, "红榜");
	if (!json_array_size(json_object_get(c, "red")))
		pdf_paragraph(&d, "（本期参与排名的单位不足，暂不列榜）");
	else if ((rc = units_table(&d, json_object_get(c, "red"), a, e)))
		goto out;
	pdf_heading(&d, 3, "黑榜");
	if (!json_array_size(json_object_get(c, "black")))
		pdf_paragraph(&d, "（本期参与排名的单位不足，暂不列榜）");
	else if ((rc = units_table(&d, json_object_get(c, "black"), a, e)))
		goto out;

	pdf_heading(&d, 2, "五、下步工作建议");
	pdf_paragraph(&d, str(c, "suggestions"));
	if (*str(c, "plan_title"))
		pdf_paragraph(&d, arena_printf(a, "附件：工作责任目标管理任务进展情况表（%s）",
		                               str(c, "plan_title")));
	pdf_space(&d, 6);
	pdf_signoff(&d, arena_printf(a, "%s\n%s", pr->issuer, pr->date), NULL);
	rc = pdf_finish(&d, data, len, e);
out:
	pdf_release(&d);
	json_decref(c);
	return rc;
}
