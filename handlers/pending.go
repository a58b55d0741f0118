package handlers

import (
	"fmt"

	"duban/kb"
)

// IntentPendingReview is the intent of 待审核的有哪些: the claims and
// extension requests waiting for a reviewer.
const IntentPendingReview = "pending_review"

// scorePending routes a question about the 待审核 state (lexicon status
// "pending") with no task number; a unit or leader narrows it.
func scorePending(h *Handler, q *query) float64 {
	if h.cfg.Status == nil || len(q.f.Refs) > 0 || !q.f.hasStatus("pending") {
		return 0
	}
	return 0.9
}

// pendingReview lists the subject's tasks whose status waits for a
// reviewer (kb.Status.Pending): completion claims and extension requests,
// each with who reported it and when.
func (h *Handler) pendingReview(q *query) (Reply, bool) {
	recs, who, _, turn := h.subject(q)
	var keep []kb.Record
	for _, r := range recs {
		if s, ok := h.status(r); ok && s.Pending() {
			keep = append(keep, r)
		}
	}
	title := "待审核的" + h.scopeTitle(q)
	if who != "" {
		title = who + "牵头、" + title
	}
	if len(keep) == 0 {
		return Reply{Intent: IntentPendingReview, Head: fmt.Sprintf("目前没有%s（完成报告和延期申请都已审核）。", title)}, true
	}
	return h.listReply(q, IntentPendingReview, title, keep, turn), true
}
