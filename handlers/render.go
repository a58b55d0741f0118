package handlers

import (
	"strings"
	"unicode/utf8"
)

// A Dialect is a platform's message format and its size limit.
type Dialect struct {
	Name     string
	Markdown bool
	// Limit is the largest message in bytes of UTF-8 content; longer
	// replies are split on line boundaries.
	Limit int
}

// The dialects duban renders to. Limits are the platforms' documented byte
// limits (../shared/PROTOCOLS.md §1.5, §2, §1.9, §5) less a margin of
// safety. A reply split in pieces carries no continuation marker: each
// piece is sent as is, in order.
var (
	Plain            = Dialect{Name: "plain", Limit: 1 << 20}
	WeComText        = Dialect{Name: "wecom_text", Limit: 2000}                     // 2048 bytes
	WeComMarkdown    = Dialect{Name: "wecom_markdown", Markdown: true, Limit: 4000} // 4096 bytes
	WeComAIBot       = Dialect{Name: "wecom_aibot", Markdown: true, Limit: 20000}   // 20480 bytes
	DingTalkMarkdown = Dialect{Name: "dingtalk_markdown", Markdown: true, Limit: 18000}
)

// Render formats r for d, split into messages within d's size limit. It
// always returns at least one message.
func Render(r Reply, d Dialect) []string {
	var lines []string
	if d.Markdown {
		if r.Head != "" {
			lines = append(lines, "**"+mdEscape(r.Head)+"**", "")
		}
		for _, l := range r.Lines {
			lines = append(lines, mdEscape(l))
		}
		if r.More != "" {
			lines = append(lines, "", mdEscape(r.More))
		}
		if r.Cite != "" {
			lines = append(lines, "", "> "+mdEscape(r.Cite))
		}
		// Markdown joins single newlines into one paragraph on both
		// platforms; a trailing two-space break would be lost on WeCom, so
		// items are separated by blank lines only where they are list rows.
		return split(joinMarkdown(lines), d.Limit)
	}
	if r.Head != "" {
		lines = append(lines, r.Head)
	}
	lines = append(lines, r.Lines...)
	if r.More != "" {
		lines = append(lines, r.More)
	}
	if r.Cite != "" {
		lines = append(lines, r.Cite)
	}
	return split(strings.Join(lines, "\n"), d.Limit)
}

// joinMarkdown keeps one line per item: WeCom and DingTalk both render a
// single "\n" as a line break inside markdown messages.
func joinMarkdown(lines []string) string {
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// mdEscape neutralises characters that would start markup by accident in
// document text (a task text can begin with "#" or contain "*").
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdEscaper is built once: a Replacer builds its lookup tables on first
// use, which per call was most of a short reply's rendering.
var mdEscaper = strings.NewReplacer("*", "\\*", "#", "\\#", "`", "'", "<", "＜", ">", "＞")

// split cuts s into pieces of at most limit bytes, on line boundaries where
// possible and on rune boundaries always.
func split(s string, limit int) []string {
	if len(s) <= limit || limit <= 0 {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		for len(line) > limit { // a single line longer than the limit
			flush()
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut])
			line = line[cut:]
		}
		if cur.Len()+len(line) > limit {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return out
}
