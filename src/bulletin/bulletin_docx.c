/*
 * bulletin_docx.c - a 通报 as an editable Word document.  The sections are
 * written as plain HTML (headings, paragraphs, tables, the typical problems'
 * photos as files beside it) into a private temporary directory and pandoc
 * turns that into .docx (docs/bulletins.md says why pandoc): spawned with a
 * fixed argument vector, no shell, its output to /dev/null, killed after
 * BULLETIN_PANDOC_SECONDS.  The directory and everything in it is removed
 * however it ends.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bulletin/bulletin.h"
#include "core/log.h"
#include "core/strbuf.h"

#define BULLETIN_PANDOC_SECONDS 60
#define BULLETIN_DOCX_MAX       (64L << 20)

extern char **environ;

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Text into sb with &, <, >, " escaped; newlines as <br>. */
static void esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			strbuf_adds(sb, "&amp;");
			break;
		case '<':
			strbuf_adds(sb, "&lt;");
			break;
		case '>':
			strbuf_adds(sb, "&gt;");
			break;
		case '"':
			strbuf_adds(sb, "&quot;");
			break;
		case '\n':
			strbuf_adds(sb, "<br/>");
			break;
		default:
			strbuf_addch(sb, *s);
		}
	}
}

static void tag(struct strbuf *sb, const char *name, const char *text)
{
	strbuf_addf(sb, "<%s>", name);
	esc(sb, text);
	strbuf_addf(sb, "</%s>\n", name);
}

static void row(struct strbuf *sb, const char *cell, int n, const char *const *cells)
{
	int i;

	strbuf_adds(sb, "<tr>");
	for (i = 0; i < n; i++) {
		strbuf_addf(sb, "<%s>", cell);
		esc(sb, cells[i] ? cells[i] : "");
		strbuf_addf(sb, "</%s>", cell);
	}
	strbuf_adds(sb, "</tr>\n");
}

/* As bulletin_pdf.c's: an assessment's rows show kind, total and adjustments. */
static void units_table(struct strbuf *sb, json_t *rows, struct arena *a)
{
	static const char *const rank_headers[] = {"名次",     "单位", "应结案",   "已结案",
	                                           "按期结案", "超期", "综合得分", "等级"};
	static const char *const assess_headers[] = {"名次",     "单位",   "类别",
	                                             "考核得分", "加减分", "等级"};
	int assess = json_array_size(rows) && json_object_get(json_array_get(rows, 0), "kind");
	json_t *r;
	size_t i;

	if (!json_array_size(rows)) {
		tag(sb, "p", "（本期无可排名单位）");
		return;
	}
	strbuf_adds(sb, "<table>\n<thead>");
	row(sb, "th", assess ? 6 : 8, assess ? assess_headers : rank_headers);
	strbuf_adds(sb, "</thead>\n<tbody>\n");
	json_array_foreach(rows, i, r)
	{
		const char *cells[8];
		const char *score =
		    arena_printf(a, "%.2f", json_number_value(json_object_get(r, "score")));

		cells[0] = arena_printf(a, "%lld",
		                        (long long)json_integer_value(json_object_get(r, "rank")));
		cells[1] = str(r, "unit_name");
		if (assess) {
			cells[2] = str(r, "kind");
			cells[3] = score;
			cells[4] = arena_printf(a, "%+.1f",
			                        json_number_value(json_object_get(r, "adjust")));
			cells[5] = str(r, "grade");
			row(sb, "td", 6, cells);
			continue;
		}
		cells[2] = arena_printf(a, "%lld",
		                        (long long)json_integer_value(json_object_get(r, "due")));
		cells[3] = arena_printf(
		    a, "%lld", (long long)json_integer_value(json_object_get(r, "closed")));
		cells[4] = arena_printf(
		    a, "%lld", (long long)json_integer_value(json_object_get(r, "on_time")));
		cells[5] = arena_printf(
		    a, "%lld", (long long)json_integer_value(json_object_get(r, "overdue")));
		cells[6] = score;
		cells[7] = str(r, "grade");
		row(sb, "td", 8, cells);
	}
	strbuf_adds(sb, "</tbody>\n</table>\n");
}

static void photo(struct strbuf *sb, json_t *t, const char *key, const char *caption,
                  int (*has_photo)(void *, int64_t), void *hctx)
{
	json_t *v = json_object_get(t, key);

	if (!json_is_integer(v) || !has_photo || !has_photo(hctx, json_integer_value(v)))
		return;
	strbuf_addf(sb, "<p><img src=\"img-%lld.jpg\" alt=\"%s\" width=\"7cm\"/><br/>%s</p>\n",
	            (long long)json_integer_value(v), caption, caption);
}

const char *bulletin_html(const struct bulletin *b, const struct bulletin_print *pr, json_t *c,
                          int (*has_photo)(void *, int64_t), void *hctx, struct arena *a)
{
	static const char *const fig_keys[][2] = {{"发现问题（个）", "problems_found"},
	                                          {"办结问题（个）", "problems_closed"},
	                                          {"超期未整改（个）", "problems_overdue"},
	                                          {"督查轮次（轮）", "inspection_rounds"},
	                                          {"检查点位（个次）", "inspection_records"},
	                                          {"报送材料（份）", "materials_submitted"},
	                                          {"材料审核通过（份）", "materials_approved"},
	                                          {"台账任务（项）", "tasks_total"},
	                                          {"已完成任务（项）", "tasks_done"},
	                                          {"超期未完成任务（项）", "tasks_overdue"}};
	struct strbuf sb = STRBUF_INIT;
	json_t *f = json_object_get(c, "figures"), *r;
	const char *out;
	size_t i;

	strbuf_adds(&sb, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/>"
	                 "</head><body>\n");
	tag(&sb, "h1", "创建文明城市工作督查情况");
	tag(&sb, "p", arena_printf(a, "%s　　　%s", b->number, pr->date));
	tag(&sb, "h1", b->title);
	tag(&sb, "p", "各乡镇、各部门：");
	tag(&sb, "p",
	    arena_printf(a, "现将%s创建文明城市工作督查情况通报如下。",
	                 bulletin_period_text(b, a)));
	tag(&sb, "h2", "一、基本情况");
	tag(&sb, "p", str(c, "summary"));
	strbuf_adds(&sb, "<table>\n<thead>");
	row(&sb, "th", 2, (const char *const[]){"项目", "数量"});
	strbuf_adds(&sb, "</thead>\n<tbody>\n");
	for (i = 0; i < sizeof(fig_keys) / sizeof(fig_keys[0]); i++)
		row(&sb, "td", 2,
		    (const char *const[]){fig_keys[i][0],
		                          arena_printf(a, "%lld",
		                                       (long long)json_integer_value(
		                                           json_object_get(f, fig_keys[i][1])))});
	strbuf_adds(&sb, "</tbody>\n</table>\n");

	tag(&sb, "h2", "二、存在的问题");
	tag(&sb, "h3", "（一）超期未整改问题");
	if (!json_array_size(json_object_get(c, "overdue_units"))) {
		tag(&sb, "p", "截至期末，无超期未整改问题。");
	} else {
		strbuf_adds(&sb, "<table>\n<thead>");
		row(&sb, "th", 3,
		    (const char *const[]){"序号", "责任单位", "超期未整改问题（个）"});
		strbuf_adds(&sb, "</thead>\n<tbody>\n");
		json_array_foreach(json_object_get(c, "overdue_units"), i, r) row(
		    &sb, "td", 3,
		    (const char *const[]){
		        arena_printf(a, "%zu", i + 1), str(r, "unit_name"),
		        arena_printf(a, "%lld",
		                     (long long)json_integer_value(json_object_get(r, "count")))});
		strbuf_adds(&sb, "</tbody>\n</table>\n");
	}
	tag(&sb, "h3", "（二）典型问题");
	if (!json_array_size(json_object_get(c, "typical")))
		tag(&sb, "p", "本期未列典型问题。");
	json_array_foreach(json_object_get(c, "typical"), i, r)
	{
		tag(&sb, "h4",
		    arena_printf(a, "%zu. %s（%s，%s）", i + 1, str(r, "category"), str(r, "code"),
		                 *str(r, "unit_name") ? str(r, "unit_name") : "未交办"));
		tag(&sb, "p",
		    arena_printf(a, "%s%s%s%s 当前状态：%s。%s", *str(r, "place") ? "地点：" : "",
		                 str(r, "place"), *str(r, "place") ? "。" : "",
		                 str(r, "description"), str(r, "status"), str(r, "comment")));
		photo(&sb, r, "before_file_id", "整改前", has_photo, hctx);
		photo(&sb, r, "after_file_id", "整改后", has_photo, hctx);
	}
	tag(&sb, "h2", "三、单位排名");
	tag(&sb, "p", str(c, "basis_note"));
	units_table(&sb, json_object_get(c, "units"), a);
	tag(&sb, "h2", "四、红黑榜");
	tag(&sb, "h3", "红榜");
	if (!json_array_size(json_object_get(c, "red")))
		tag(&sb, "p", "（本期参与排名的单位不足，暂不列榜）");
	else
		units_table(&sb, json_object_get(c, "red"), a);
	tag(&sb, "h3", "黑榜");
	if (!json_array_size(json_object_get(c, "black")))
		tag(&sb, "p", "（本期参与排名的单位不足，暂不列榜）");
	else
		units_table(&sb, json_object_get(c, "black"), a);
	tag(&sb, "h2", "五、下步工作建议");
	tag(&sb, "p", str(c, "suggestions"));
	if (*str(c, "plan_title"))
		tag(&sb, "p",
		    arena_printf(a, "附件：工作责任目标管理任务进展情况表（%s）",
		                 str(c, "plan_title")));
	tag(&sb, "p", pr->issuer);
	tag(&sb, "p", pr->date);
	strbuf_adds(&sb, "</body></html>\n");
	out = arena_strdup(a, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	return out;
}

/* ---- the temporary directory and pandoc ------------------------------------------ */

struct photo_dir {
	const char *dir;
	int64_t ids[2 * BULLETIN_MAX_TYPICAL];
	int n;
};

static int photo_written(void *ctx, int64_t id)
{
	struct photo_dir *pd = ctx;
	int i;

	for (i = 0; i < pd->n; i++)
		if (pd->ids[i] == id)
			return 1;
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	const char *p = data;
	ssize_t w;

	if (fd < 0)
		return -1;
	while (len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd);
}

static int read_file(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	void *buf;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || n > BULLETIN_DOCX_MAX ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*data = buf;
	*len = (size_t)n;
	return 0;
}

/* Remove dir and the plain files in it (all this module or pandoc wrote). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096 + 256 + 2];

	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	if (rmdir(dir))
		log_warn("bulletin: could not remove %s: %s", dir, strerror(errno));
}

/* pandoc -f html -t docx in -o out; 0 when it exited 0 in time. */
static int run_pandoc(const char *dir, const char *in, const char *out)
{
	char resource[4200];
	char *argv[] = {"pandoc",          "--from=html", "--to=docx",
	                "--resource-path", resource,      "--output",
	                (char *)out,       (char *)in,    NULL};
	posix_spawn_file_actions_t fa;
	struct timespec nap = {0, 50 * 1000 * 1000};
	pid_t pid;
	int status = 0, rc, waited;

	snprintf(resource, sizeof(resource), "%s", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "pandoc", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		log_warn("bulletin: pandoc could not start: %s", strerror(rc));
		return -1;
	}
	for (waited = 0;; waited++) {
		rc = waitpid(pid, &status, WNOHANG);
		if (rc == pid)
			break;
		if (rc < 0 && errno != EINTR)
			return -1;
		if (waited >= BULLETIN_PANDOC_SECONDS * 20) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			log_warn("bulletin: pandoc took over %d s, killed",
			         BULLETIN_PANDOC_SECONDS);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		log_warn("bulletin: pandoc failed (status %d)", status);
		return -1;
	}
	return 0;
}

int bulletin_docx(const struct bulletin *b, const struct bulletin_print *pr, struct arena *a,
                  void **data, size_t *len, struct error *e)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], in[4200], out[4200], img[4200];
	struct photo_dir pd;
	json_t *c, *t;
	const char *html;
	size_t i;
	int rc = 0;

	*data = NULL;
	*len = 0;
	snprintf(dir, sizeof(dir), "%s/wenming-bulletin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		log_error("bulletin: mkdtemp: %s", strerror(errno));
		return error_set(e, ERR_UNAVAILABLE, NULL, "无法生成 Word 文档，请稍后再试");
	}
	memset(&pd, 0, sizeof(pd));
	pd.dir = dir;
	c = bulletin_content(b);
	json_array_foreach(json_object_get(c, "typical"), i, t)
	{
		static const char *const keys[] = {"before_file_id", "after_file_id"};
		int k;

		for (k = 0; k < 2 && pr->photo; k++) {
			json_t *v = json_object_get(t, keys[k]);
			size_t plen = 0;
			void *bytes;

			if (!json_is_integer(v) || photo_written(&pd, json_integer_value(v)) ||
			    pd.n >= (int)(sizeof(pd.ids) / sizeof(pd.ids[0])))
				continue;
			bytes = pr->photo(pr->ctx, json_integer_value(v), &plen);
			if (!bytes)
				continue;
			snprintf(img, sizeof(img), "%s/img-%lld.jpg", dir,
			         (long long)json_integer_value(v));
			if (write_file(img, bytes, plen) == 0)
				pd.ids[pd.n++] = json_integer_value(v);
		}
	}
	html = bulletin_html(b, pr, c, photo_written, &pd, a);
	json_decref(c);
	snprintf(in, sizeof(in), "%s/bulletin.html", dir);
	snprintf(out, sizeof(out), "%s/bulletin.docx", dir);
	if (write_file(in, html, strlen(html)) || run_pandoc(dir, in, out) ||
	    read_file(out, data, len))
		rc = error_set(e, ERR_UNAVAILABLE, NULL,
		               "无法生成 Word 文档（服务器需安装 pandoc），请先下载 PDF");
	remove_dir(dir);
	return rc;
}
