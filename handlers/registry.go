package handlers

import (
	"sort"
)

// An intent is one kind of answer. score says how well a frame fits it (0:
// not at all); answer answers it, and ok=false means it had nothing to say
// so the next intent is tried.
type intent struct {
	name   string
	score  func(h *Handler, q *query) float64
	answer func(h *Handler, q *query) (Reply, bool)
}

// intents is the registry. Order breaks ties. It is filled in init
// because "more" re-routes the previous question through it.
var intents []intent

func init() { intents = registry() }

func registry() []intent {
	return []intent{
		{"help", scoreHelp, func(h *Handler, q *query) (Reply, bool) { return h.help(q), true }},
		{"more", scoreMore, func(h *Handler, q *query) (Reply, bool) { return h.more(q), true }},
		{"follow_up", scoreFollowUp, (*Handler).followUp},
		{"unknown_entity", scoreUnknown, (*Handler).unknown},
		{"task", scoreTask, func(h *Handler, q *query) (Reply, bool) { return h.tasks(q), true }},
		{"indicator_no", scoreIndicatorNo, (*Handler).indicatorNo},
		{"count", scoreCount, func(h *Handler, q *query) (Reply, bool) { return h.count(q), true }},
		{"status", scoreStatus, (*Handler).statusAnswers},
		{"pending_review", scorePending, (*Handler).pendingReview},
		{"duty", scoreDuty, (*Handler).duties},
		{"people", scorePeople, (*Handler).people},
		{"due", scoreDue, (*Handler).dueList},
		{"unit_tasks", scoreUnitTasks, (*Handler).unitTasks},
		{"section_list", scoreSectionList, (*Handler).sectionList},
		{"phases", scorePhases, (*Handler).phases},
		{"plan", scorePlan, (*Handler).planAnswers},
		{"goal", scoreGoal, (*Handler).goal},
		{"keyword", scoreKeyword, (*Handler).keyword},
		{"search", func(*Handler, *query) float64 { return 0.1 }, func(h *Handler, q *query) (Reply, bool) { return h.search(q), true }},
	}
}

// An Explain is how a question was understood: its frame, every intent
// that scored it, and which answered (ask --json "explain", the MCP ask tool).
type Explain struct {
	Frame      *Frame      `json:"frame"`
	Candidates []Candidate `json:"candidates"`
	Chosen     string      `json:"chosen"`
	Records    []string    `json:"records,omitempty"` // sources of the answer: file:line
}

// A Candidate is one intent's score for a frame.
type Candidate struct {
	Intent string  `json:"intent"`
	Score  float64 `json:"score"`
	// Result is "answered", "not found", "no answer" or "" (not tried).
	Result string `json:"result,omitempty"`
}

// route scores every intent and answers with the best that has an answer.
// A not-found answer falls through to the next intent; when none finds
// anything the first not-found is the answer, and the cited-passage
// fallback is used only when no intent recognised the question at all.
func (h *Handler) route(q *query) (Reply, *Explain) {
	ex := &Explain{Frame: q.f}
	for _, in := range intents {
		if s := in.score(h, q); s > 0 {
			ex.Candidates = append(ex.Candidates, Candidate{Intent: in.name, Score: s})
		}
	}
	sort.SliceStable(ex.Candidates, func(i, j int) bool { return ex.Candidates[i].Score > ex.Candidates[j].Score })
	byName := map[string]intent{}
	for _, in := range intents {
		byName[in.name] = in
	}
	var notFound *Reply
	notFoundScore := 0.0
	for i := range ex.Candidates {
		c := &ex.Candidates[i]
		if q.ctx != nil && q.ctx.Err() != nil {
			break // the caller gave up: answer with what is known
		}
		// cited passages may follow only a weak reading's not-found
		// (海门街道办事处主任是谁 is not asking for the town's tasks)
		if notFound != nil && c.Intent == "search" && notFoundScore >= 0.5 {
			continue
		}
		r, ok := byName[c.Intent].answer(h, q)
		switch {
		case !ok:
			c.Result = "no answer"
		case r.NotFound:
			c.Result = "not found"
			if notFound == nil {
				notFound, notFoundScore = &r, c.Score
			}
			if final(c.Intent) {
				return h.finish(ex, c.Intent, r)
			}
		default:
			c.Result = "answered"
			return h.finish(ex, c.Intent, r)
		}
	}
	if notFound != nil {
		return h.finish(ex, notFound.Intent, *notFound)
	}
	if q.ctx != nil && q.ctx.Err() != nil {
		head := "未能在时限内答完，请把问题说得简短些再问。"
		if q.en {
			head = "The question could not be answered in time; please ask it more briefly."
		}
		return h.finish(ex, "deadline", Reply{Intent: IntentNotFound, NotFound: true, Head: head})
	}
	return h.finish(ex, "search", h.search(q))
}

// final intents' not-found is the answer: a number past a table's end is
// not a topic to search for, and an unknown unit is not to be guessed.
func final(name string) bool {
	return name == "task" || name == "unknown_entity" || name == "help" || name == "more" || name == "follow_up" || name == "due"
}

func (h *Handler) finish(ex *Explain, chosen string, r Reply) (Reply, *Explain) {
	ex.Chosen = chosen
	for _, s := range r.Sources {
		ex.Records = append(ex.Records, s.File+":"+itoa(s.Line))
	}
	return r, ex
}
