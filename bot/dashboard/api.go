package dashboard

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"duban/kb"
)

// The JSON endpoints serve the same view as the pages (see the package doc
// for their fields), so a county's own 大屏 shows the same figures.

func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "dashboard: json: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	send(w, r, "application/json; charset=utf-8", buf.Bytes())
}

func (d *Dashboard) apiBoard(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	writeJSON(w, r, &v.board)
}

func (d *Dashboard) apiTasks(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	ts := byDue(v.board.Tasks)
	if ts == nil {
		ts = []Task{}
	}
	writeJSON(w, r, struct {
		AsOf  string `json:"as_of"`
		Count int    `json:"count"`
		Tasks []Task `json:"tasks"`
	}{v.day, len(ts), ts})
}

func (d *Dashboard) apiTask(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	no, err := strconv.Atoi(r.PathValue("no"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	tp, ok := d.taskView(r.Context(), v, kb.Table(r.PathValue("table")), no)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, r, struct {
		AsOf string `json:"as_of"`
		*taskPage
	}{v.day, tp})
}
