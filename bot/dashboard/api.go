package dashboard

import (
	"encoding/json"
	"net/http"
	"strconv"

	"duban/kb"
)

// The JSON endpoints serve the same view as the pages (see the package doc
// for their fields), so a county's own 大屏 shows the same figures.

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v) //nolint:errcheck // the client went away
}

func (d *Dashboard) apiBoard(w http.ResponseWriter, r *http.Request) {
	v, code, err := d.load(r)
	if err != nil {
		d.fail(w, r, code, err)
		return
	}
	writeJSON(w, &v.board)
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
	writeJSON(w, struct {
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
	writeJSON(w, struct {
		AsOf string `json:"as_of"`
		*taskPage
	}{v.day, tp})
}
