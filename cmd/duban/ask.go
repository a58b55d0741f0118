package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"duban/handlers"
	"duban/kb/ingest"
)

func runAsk(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", defaultDocs, "documents folder")
	asJSON := fs.Bool("json", false, `print {"question","answer","intent","sources","explain"}; explain is the parsed frame, the intents' scores and the records chosen`)
	batch := fs.String("batch", "", `file with one question a line ("-": standard input); writes one JSON line {"question","answer"} each`)
	now := fs.String("now", "", "answer as if at this RFC3339 time (for 本月到期, 已逾期)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *batch == "" && fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: duban ask --docs DIR [--json] QUESTION… | --batch FILE|-")
		return errUsage
	}
	var clock time.Time
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("ask: --now %q: want RFC3339 such as 2020-08-25T09:00:00+08:00", *now)
		}
		clock = t
	}
	b, _, err := ingest.LoadDir(ctx, *docs)
	if b == nil {
		return err
	}
	if err != nil {
		fmt.Fprintln(stderr, "duban: some documents failed to load:", err)
	}
	h := handlers.New(b, handlers.Config{})
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if *batch != "" {
		return askBatch(ctx, h, *batch, stdin, enc, clock)
	}
	// Questions on the command line form one conversation, so follow-ups
	// ("那它什么时候到期？") can be tried here too.
	var prev *handlers.Turn
	for _, q := range fs.Args() {
		r := h.Answer(ctx, handlers.Question{Text: q, Prev: prev, Now: clock})
		if r.Turn != nil {
			prev = r.Turn
		}
		if *asJSON {
			if err := enc.Encode(askJSON{Question: q, Answer: r.Text(), Intent: r.Intent, Sources: r.Sources, Explain: r.Explain}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(stdout, r.Text())
		if fs.NArg() > 1 {
			fmt.Fprintln(stdout)
		}
	}
	return nil
}

type askJSON struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Intent   string `json:"intent,omitempty"`
	Sources  any    `json:"sources,omitempty"`
	// Explain is how the question was understood (handlers.Explain).
	Explain *handlers.Explain `json:"explain,omitempty"`
}

func askBatch(ctx context.Context, h *handlers.Handler, path string, stdin io.Reader, enc *json.Encoder, clock time.Time) error {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("ask --batch: %w", err)
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		q := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(q) == "" {
			continue
		}
		r := h.Answer(ctx, handlers.Question{Text: q, Now: clock})
		if err := enc.Encode(askJSON{Question: q, Answer: r.Text()}); err != nil {
			return err
		}
	}
	return sc.Err()
}
