package dashboard

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
)

// send writes body with ctype, gzipped when the client accepts it and the
// body is large enough to gain: the timeline of a city's tasks is a few
// hundred kilobytes of table markup and a tenth of that compressed, which
// matters on a county's network. Every response is rendered to a buffer
// first, so an error is a clean 500, never half a page.
func send(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept-Encoding")
	if len(body) >= 1024 && acceptsGzip(r) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(body) //nolint:errcheck // a bytes.Buffer does not fail
		if zw.Close() == nil {
			h.Set("Content-Encoding", "gzip")
			body = buf.Bytes()
		}
	}
	w.Write(body) //nolint:errcheck // the client went away
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
