/*
 * The files of cmd/kout/web/ as bytes in the program: the assembler's
 * .incbin copies each one in at build time (the Makefile makes this
 * object depend on them), so no build tool beyond the compiler is needed.
 */
#include <string.h>

#include "web.h"

#define EMBED(name, file)                                     \
	__asm__(".section .rodata\n"                          \
		".balign 16\n"                                \
		"kout_web_" #name ":\n"                       \
		".incbin \"cmd/kout/web/" file "\"\n"         \
		"kout_web_" #name "_end:\n"                   \
		".byte 0\n"                                   \
		".previous\n");                               \
	extern const char web_##name[] __asm__("kout_web_" #name); \
	extern const char web_##name##_end[] __asm__("kout_web_" #name "_end")

EMBED(html, "dashboard.html");
EMBED(js, "dashboard.js");
EMBED(css, "dashboard.css");

static const struct {
	const char *path, *type, *start, *end;
} files[] = {
	{"/", "text/html; charset=utf-8", web_html, web_html_end},
	{"/dashboard.js", "text/javascript; charset=utf-8", web_js, web_js_end},
	{"/dashboard.css", "text/css; charset=utf-8", web_css, web_css_end},
};

const struct web_asset *
web_asset(const char *path, struct web_asset *a)
{
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(path, files[i].path) == 0) {
			a->path = files[i].path;
			a->type = files[i].type;
			a->data = files[i].start;
			a->len = (size_t)(files[i].end - files[i].start);
			return a;
		}
	return NULL;
}
