/*
 * test_bulletin.c - the pure parts of 通报 (src/bulletin/): the period and
 * date texts, the 基本情况 sentence from the figures, and the HTML pandoc
 * turns into Word: every user text escaped, the sections in order, a
 * typical problem's photos only when they were written, the assessment
 * table when the bulletin stands on an assessment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulletin/bulletin.h"

static struct bulletin sample(const char *content)
{
	struct bulletin b;

	memset(&b, 0, sizeof(b));
	b.id = 7;
	b.number = "督查情况〔2026〕第16期";
	b.title = "关于<本月>的通报";
	b.from = "2026-11-01";
	b.to = "2026-11-30";
	b.status = "draft";
	b.content = content;
	return b;
}

static void texts(void **state)
{
	struct arena a;
	struct bulletin b = sample("{}"), c = sample("{}");
	json_t *f = json_pack("{s:i, s:i, s:i}", "problems_found", 84, "problems_closed", 52,
	                      "problems_overdue", 23);

	(void)state;
	arena_init(&a);
	assert_string_equal(bulletin_period_text(&b, &a), "2026年11月1日至11月30日");
	c.to = "2027-01-31";
	assert_string_equal(bulletin_period_text(&c, &a), "2026年11月1日至2027年1月31日");
	assert_string_equal(bulletin_date_text("2026-12-06", 1, &a), "2026年12月6日");
	assert_string_equal(bulletin_date_text("2026-12-06", 0, &a), "12月6日");
	assert_non_null(strstr(bulletin_figures_text(f, &a),
	                       "本期共发现问题 84 个，办结 52 个，截至期末超期未整改 23 个"));
	assert_non_null(strstr(bulletin_figures_text(f, &a), "工作台账共有任务 0 项"));
	json_decref(f);
	arena_release(&a);
}

static int photo_7(void *ctx, int64_t id)
{
	(void)ctx;
	return id == 7;
}

static void html(void **state)
{
	struct arena a;
	struct bulletin b = sample(NULL);
	struct bulletin_print pr = {"示例县创城办", "2026年12月6日", NULL, NULL};
	json_t *c = json_loads(
	    "{\"summary\":\"A & B <script>\",\"suggestions\":\"一是\\n二是\","
	    "\"overdue_units\":[{\"unit_id\":1,\"unit_name\":\"幸福社区\",\"count\":4}],"
	    "\"typical\":[{\"problem_id\":1,\"code\":\"2026-000001\",\"category\":\"乱扔垃圾\","
	    "\"unit_name\":\"和平社区\",\"place\":\"\",\"description\":\"\\\"垃圾\\\"\","
	    "\"status\":\"已销号\",\"comment\":\"\",\"before_file_id\":7,\"after_file_id\":8}],"
	    "\"units\":[{\"unit_id\":1,\"unit_name\":\"县卫健局\",\"kind\":\"部门\",\"rank\":1,"
	    "\"score\":92.5,\"adjust\":2,\"grade\":\"优秀\"}],\"red\":[],\"black\":[],"
	    "\"basis_note\":\"取自考核结果\",\"plan_title\":\"集中攻坚\"}",
	    0, NULL);
	const char *h, *p1, *p2, *p3, *p4, *p5;

	(void)state;
	assert_non_null(c);
	arena_init(&a);
	h = bulletin_html(&b, &pr, c, photo_7, NULL, &a);
	/* user text is escaped, newlines kept */
	assert_non_null(strstr(h, "A &amp; B &lt;script&gt;"));
	assert_null(strstr(h, "<script>"));
	assert_non_null(strstr(h, "关于&lt;本月&gt;的通报"));
	assert_non_null(strstr(h, "&quot;垃圾&quot;"));
	assert_non_null(strstr(h, "一是<br/>二是"));
	/* the sections in order */
	p1 = strstr(h, "一、基本情况");
	p2 = strstr(h, "二、存在的问题");
	p3 = strstr(h, "三、单位排名");
	p4 = strstr(h, "四、红黑榜");
	p5 = strstr(h, "五、下步工作建议");
	assert_true(p1 && p2 && p3 && p4 && p5 && p1 < p2 && p2 < p3 && p3 < p4 && p4 < p5);
	/* the before photo was written, the after one not */
	assert_non_null(strstr(h, "img-7.jpg"));
	assert_null(strstr(h, "img-8.jpg"));
	/* the assessment table; empty lists say so */
	assert_non_null(strstr(h, "<th>考核得分</th>"));
	assert_non_null(strstr(h, "<td>+2.0</td>"));
	assert_non_null(strstr(h, "暂不列榜"));
	assert_non_null(strstr(h, "附件：工作责任目标管理任务进展情况表（集中攻坚）"));
	assert_non_null(strstr(h, "督查情况〔2026〕第16期"));
	json_decref(c);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(texts),
	    cmocka_unit_test(html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
