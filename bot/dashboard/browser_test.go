package dashboard

import (
	"bytes"
	"context"
	"encoding/base64"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/bot/internal/browser"
	"duban/handlers"
	"duban/kb"
)

// TestBrowser drives the dashboard in a real headless Chromium over
// loopback, on the seeds with the fixture journal: it opens the overview
// with the token, filters by unit from the page's own form, goes to the
// timeline, opens a task from it, switches the as-of date there, downloads
// the export with the page's cookie and prints the 通报 to PDF. It saves
// screenshots (and the PDF) to $DUBAN_ARTIFACTS, or a temporary directory,
// and logs the page weight and first-paint times Chromium measured.
// Without Chromium it skips, unless $CI is set.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path, err := browser.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Chromium for the dashboard test: %v", err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()

	b := seeds(t)
	h := handlers.New(b, handlers.Config{})
	const token = "browser-test-token"
	d := New(Config{Base: func() *kb.Base { return b }, History: reports().history, Token: token,
		Answer: func(ctx context.Context, q handlers.Question) handlers.Reply { return h.Answer(ctx, q) },
		Now:    func() time.Time { return day(12, 20, 9) }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: d}}
	srv.Start()
	defer srv.Close()

	br, err := browser.Launch(ctx, path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	p, err := br.NewPage(ctx, 1366, 900)
	if err != nil {
		t.Fatal(err)
	}
	artifacts := os.Getenv("DUBAN_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	save := func(name string, data []byte) {
		t.Helper()
		file := filepath.Join(artifacts, name)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("saved %s", file)
	}
	shot := func(name string) {
		t.Helper()
		png, err := p.Screenshot(ctx)
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		save("dashboard-"+name+".png", png)
	}
	// top saves the first screenful only: the view a README shows.
	top := func(name string) {
		t.Helper()
		var r struct {
			Data string `json:"data"`
		}
		clip := map[string]any{"x": 0, "y": 0, "width": 1366, "height": 900, "scale": 1}
		if err := p.Call(ctx, "Page.captureScreenshot", map[string]any{"format": "png", "clip": clip}, &r); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		png, err := base64.StdEncoding.DecodeString(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		save("dashboard-"+name+".png", png)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// waitPage waits for a navigation the page started itself (a form
	// submit, a click) to show text: the old document's context dies on
	// the way, so WaitText is asked again until the new one answers.
	waitPage := func(selector, text string) {
		t.Helper()
		var err error
		for ctx.Err() == nil {
			if _, err = p.WaitText(ctx, selector, text, 5000); err == nil {
				return
			}
		}
		t.Fatalf("waiting for %s to show %q: %v", selector, text, err)
	}
	// waitJS waits until the JavaScript condition cond holds in the page
	// shown, across a navigation the page started itself.
	waitJS := func(cond string) {
		t.Helper()
		expr := `(async () => { const end = Date.now() + 5000;
			for (;;) { if (document.readyState === "complete" && (` + cond + `)) return true;
				if (Date.now() > end) throw new Error("timed out");
				await new Promise(r => setTimeout(r, 50)); } })()`
		var err error
		for ctx.Err() == nil {
			if err = p.Eval(ctx, expr, nil); err == nil {
				return
			}
		}
		t.Fatalf("waiting for %s: %v", cond, err)
	}
	base := srv.URL + "/dashboard/"

	// 1. The overview, entered with the token (redirected without it).
	must(p.Navigate(ctx, base+"?token="+token+"&asof=2020-12-20"))
	waitPage("h2", "按牵头单位")
	var href string
	must(p.Eval(ctx, `location.href`, &href))
	if strings.Contains(href, "token") {
		t.Errorf("the address bar still holds the token: %s", href)
	}
	logTiming(ctx, t, p, "overview")
	shot("overview")
	top("overview-top")

	// 2. Filter by unit with the page's own form (app.js submits on change).
	must(p.Eval(ctx, `(() => { const s = document.querySelector("form.filters select[name=unit]");
		s.value = "交通局"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil))
	waitJS(`location.search.includes("unit=")`)
	var rows []string
	must(p.Eval(ctx, `[...document.querySelectorAll("#units tbody tr td:first-child")].map(e => e.textContent)`, &rows))
	if len(rows) != 1 || rows[0] != "交通局" {
		t.Errorf("units table after filtering 交通局 = %v, want [交通局]", rows)
	}

	// 3. The timeline of that unit, then only its done tasks.
	must(p.Click(ctx, `nav a[href^="./timeline"]`))
	waitPage("h2", "到期时间轴")
	must(p.Eval(ctx, `(() => { const s = document.querySelector("form.filters select[name=light]");
		s.value = "done"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil))
	waitJS(`location.search.includes("light=done")`)
	var listed int
	must(p.Eval(ctx, `document.querySelectorAll("#tasklist tbody tr").length`, &listed))
	if listed != 1 { // key task 3 (done 10-15); nothing else of 交通局 is done
		t.Errorf("交通局's done tasks listed: %d, want 1", listed)
	}
	logTiming(ctx, t, p, "timeline")
	top("timeline-top")

	// 4. Open task 3 from the list.
	must(p.Click(ctx, `a.task[href*="task/key_tasks/3?"]`))
	waitPage("#answer", "来源")
	waitPage("#history", "已完成")
	shot("task")

	// 5. Switch the date on the task page: the completion was withdrawn on
	// 12-25, so on 12-28 the history shows the undo and the light changes.
	must(p.Eval(ctx, `(() => { const i = document.querySelector("#asof");
		i.value = "2020-12-28"; i.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil))
	waitJS(`location.search.includes("asof=2020-12-28")`)
	waitPage("#history", "撤销 #1")
	var chip string
	must(p.Eval(ctx, `document.querySelector(".record h2 .chip").textContent`, &chip))
	if chip != "黄灯" {
		t.Errorf("task 3 on 12-28 shows %s, want 黄灯 (due in 3 days, no report in force)", chip)
	}
	shot("task-asof")

	// 6. Download the export of the overview's filtered view with the
	// page's cookie, and read it back.
	must(p.Navigate(ctx, base+"?asof=2020-12-20&table=key_tasks&unit=住建局"))
	waitPage("h2", "按牵头单位")
	var got struct {
		Status int
		Type   string
		Data   string
	}
	must(p.Eval(ctx, `(async () => {
		const r = await fetch(document.querySelector("#export-xlsx").href);
		const buf = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const c of buf) s += String.fromCharCode(c);
		return {Status: r.status, Type: r.headers.get("content-type"), Data: btoa(s)};
	})()`, &got))
	raw, err := base64.StdEncoding.DecodeString(got.Data)
	if err != nil || got.Status != http.StatusOK {
		t.Fatalf("export download: %d %s %v", got.Status, got.Type, err)
	}
	save("dashboard-export.xlsx", raw)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("export is no workbook: %v", err)
	}
	xrows, _ := f.GetRows(f.GetSheetList()[0])
	f.Close()
	if len(xrows) != 1+19 {
		t.Errorf("export holds %d rows, want the header and 住建局's 19 key tasks", len(xrows))
	}

	// Warm figures (fonts and style sheet cached), as an office sees the
	// page every morning after the first visit.
	for _, pg := range []string{"", "timeline"} {
		must(p.Navigate(ctx, base+pg+"?asof=2020-12-20"))
		logTiming(ctx, t, p, "warm /"+pg)
		if pg == "timeline" {
			top("timeline-all")
		}
	}

	// 7. The 通报, printed to A4 PDF.
	must(p.Navigate(ctx, base+"report?asof=2020-12-20&table=key_tasks"))
	waitPage("h3", "红灯任务")
	shot("report")
	var pdf struct {
		Data string `json:"data"`
	}
	must(p.Call(ctx, "Page.printToPDF", map[string]any{"preferCSSPageSize": true, "printBackground": true}, &pdf))
	doc, err := base64.StdEncoding.DecodeString(pdf.Data)
	if err != nil || !bytes.HasPrefix(doc, []byte("%PDF")) {
		t.Fatalf("通报 PDF: %v", err)
	}
	// A4 is 595×842 points; each page's MediaBox says what Chromium printed on.
	boxes := reMediaBox.FindAllSubmatch(doc, -1)
	if len(boxes) == 0 {
		t.Errorf("通报 PDF has no page box")
	}
	for _, m := range boxes {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if math.Abs(w-595.3) > 1 || math.Abs(h-841.9) > 1 {
			t.Errorf("通报 PDF page is %s×%s points, want A4 595.3×841.9", m[1], m[2])
		}
	}
	t.Logf("通报: %d A4 page(s)", len(boxes))
	save("dashboard-report.pdf", doc)
}

// reMediaBox reads a PDF page's size in points (Skia writes A4 as
// 594.95996 841.91998).
var reMediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)

// logTiming logs what Chromium measured for the page just shown: bytes
// transferred (document and resources) and the first contentful paint.
func logTiming(ctx context.Context, t *testing.T, p *browser.Page, name string) {
	t.Helper()
	var m struct {
		Bytes  float64 `json:"bytes"`
		Resp   float64 `json:"resp"`
		FCP    float64 `json:"fcp"`
		DCL    float64 `json:"dcl"`
		Loaded float64 `json:"loaded"`
	}
	err := p.Eval(ctx, `(async () => {
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		const nav = performance.getEntriesByType("navigation")[0];
		let bytes = nav.transferSize || nav.encodedBodySize;
		for (const r of performance.getEntriesByType("resource")) bytes += r.transferSize || r.encodedBodySize;
		const fcp = performance.getEntriesByName("first-contentful-paint")[0];
		return {bytes, resp: nav.responseEnd - nav.requestStart, fcp: fcp ? fcp.startTime - nav.requestStart : -1,
			dcl: nav.domContentLoadedEventEnd - nav.requestStart, loaded: nav.loadEventEnd - nav.requestStart};
	})()`, &m)
	if err != nil {
		t.Logf("%s timing: %v", name, err)
		return
	}
	t.Logf("%s: %.0f bytes transferred, after the request: response %.1f ms, DOMContentLoaded %.1f ms, first contentful paint %.1f ms, load %.1f ms",
		name, m.Bytes, m.Resp, m.DCL, m.FCP, m.Loaded)
}
