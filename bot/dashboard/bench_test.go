package dashboard

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"duban/kb"
)

// BenchmarkPages measures the server side of each page on the seeds with
// the fixture journal: read every history, fold, count, render, gzip. It
// reports the bytes sent (gzipped) and unzipped per page.
func BenchmarkPages(b *testing.B) {
	base := seeds(b)
	// The full-text index builds in the background after loading; the
	// dashboard does not use it, so wait for it rather than measure it.
	if err := base.WaitIndexed(); err != nil {
		b.Fatal(err)
	}
	d := New(Config{Base: func() *kb.Base { return base }, History: reports().history})
	for _, pg := range []string{"", "timeline", "task/key_tasks/76", "report", "api/board", "export.xlsx"} {
		b.Run("/"+pg, func(b *testing.B) {
			var sent, plain int
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/dashboard/"+pg+"?asof=2020-12-20", nil)
				r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
				r.Header.Set("Accept-Encoding", "gzip")
				w := httptest.NewRecorder()
				d.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", pg, w.Code)
				}
				sent = w.Body.Len()
			}
			r := httptest.NewRequest(http.MethodGet, "/dashboard/"+pg+"?asof=2020-12-20", nil)
			r.RemoteAddr, r.Host = "127.0.0.1:1", "127.0.0.1"
			w := httptest.NewRecorder()
			d.ServeHTTP(w, r)
			plain = w.Body.Len()
			b.ReportMetric(float64(sent), "B-sent")
			b.ReportMetric(float64(plain), "B-plain")
		})
	}
}
