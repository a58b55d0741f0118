package mcp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"duban/handlers"
)

// SearchIn is the input of search.
type SearchIn struct {
	Query string `json:"query" jsonschema:"free text in Chinese (森林覆盖率 目标)"`
	Limit int    `json:"limit,omitempty" jsonschema:"how many passages, 1 to 20"`
}

// SearchOut is the output of search.
type SearchOut struct {
	Miss
	Count    int       `json:"count"`
	Passages []Passage `json:"passages" jsonschema:"best first"`
}

// A Passage is one paragraph of a document.
type Passage struct {
	Text     string  `json:"text" jsonschema:"the paragraph, whole"`
	Heading  string  `json:"heading,omitempty" jsonschema:"the nearest heading above it"`
	DocTitle string  `json:"doc_title,omitempty" jsonschema:"the document's title"`
	Score    float64 `json:"score" jsonschema:"relevance, higher is better; comparable within one result only"`
	Source   Source  `json:"source"`
}

// AskIn is the input of ask.
type AskIn struct {
	Question string `json:"question" jsonschema:"a question as an official would ask the bot, in Chinese or English (76号任务谁牵头, who leads task 76)"`
	Now      string `json:"now,omitempty" jsonschema:"answer as if at this RFC 3339 time (for 本月到期, 已逾期); default: now"`
}

// AskOut is the output of ask: the bot's own answer.
type AskOut struct {
	Answer   string   `json:"answer" jsonschema:"the answer as the bot writes it in chat, plain text"`
	Intent   string   `json:"intent" jsonschema:"what the bot understood the question to ask"`
	Head     string   `json:"head" jsonschema:"the fact that answers the question"`
	Lines    []string `json:"lines,omitempty" jsonschema:"details or list items"`
	More     string   `json:"more,omitempty" jsonschema:"what the list leaves out"`
	Cite     string   `json:"cite,omitempty" jsonschema:"the citation line"`
	NotFound bool     `json:"not_found,omitempty"`
	Sources  []Source `json:"sources" jsonschema:"where the answer comes from"`
	// Explain is how the bot understood the question (handlers.Explain):
	// its frame (numbers, units, persons, time window, topic), every
	// intent's score and the one chosen, so an assistant can tell a
	// misreading from a not-found. Its schema is left open: the frame
	// grows with the bot's understanding, and a field the schema
	// generator cannot describe must not keep the server from starting.
	Explain any `json:"explain,omitempty" jsonschema:"how the bot understood the question: the parsed frame, the candidate intents with scores, the intent chosen and the records it answered from"`
}

// maxPassages caps search: past 20 passages an assistant is better served
// by a narrower query.
const maxPassages = 20

func (s *Server) addSearchTools() {
	addTool(s, "search", "Full-text search",
		"The paragraphs of every document that best match free text, with their headings and sources: for what no structured tool answers.",
		map[string]arg{"limit": {def: 5}}, s.search)
	addTool(s, "ask", "Ask the bot",
		"The chat bot's own answer to one question, exactly as officials get it in WeCom or DingTalk (in English when asked in English), with its sources. "+
			"Each call is a new conversation: follow-ups such as 那它什么时候到期 need the task named again.",
		map[string]arg{}, s.ask)
}

func (s *Server) search(_ context.Context, h *handlers.Handler, in SearchIn) (SearchOut, error) {
	if strings.TrimSpace(in.Query) == "" {
		return SearchOut{}, fmt.Errorf("query is empty")
	}
	n := in.Limit
	if n <= 0 || n > maxPassages {
		return SearchOut{}, fmt.Errorf("limit %d: want 1 to %d", in.Limit, maxPassages)
	}
	out := SearchOut{Passages: []Passage{}}
	for _, hit := range h.Base().Search(in.Query, n) {
		p := hit.Passage
		out.Passages = append(out.Passages, Passage{Text: p.Text, Heading: p.Heading, DocTitle: p.Title, Score: hit.Score, Source: source(p.Source, "")})
	}
	out.Count = len(out.Passages)
	if out.Count == 0 {
		out.Miss = miss(fmt.Sprintf("没有与“%s”相关的段落", in.Query), nil)
	}
	return out, nil
}

func (s *Server) ask(ctx context.Context, h *handlers.Handler, in AskIn) (AskOut, error) {
	if strings.TrimSpace(in.Question) == "" {
		return AskOut{}, fmt.Errorf("question is empty")
	}
	q := handlers.Question{Text: in.Question}
	if in.Now != "" {
		t, err := time.Parse(time.RFC3339, in.Now)
		if err != nil {
			return AskOut{}, fmt.Errorf("now %q: want RFC 3339 such as 2020-08-25T09:00:00+08:00", in.Now)
		}
		q.Now = t
	}
	r := h.Answer(ctx, q)
	var explain any
	if r.Explain != nil { // a typed nil would marshal as null, not be omitted
		explain = r.Explain
	}
	out := AskOut{Answer: r.Text(), Intent: r.Intent, Head: r.Head, Lines: r.Lines, More: r.More, Cite: r.Cite,
		NotFound: r.NotFound, Sources: make([]Source, 0, len(r.Sources)), Explain: explain}
	for _, src := range r.Sources {
		out.Sources = append(out.Sources, source(src, ""))
	}
	return out, nil
}
