package progress

import (
	"regexp"
	"strings"

	"duban/kb"
)

// A Review is a reviewer's decision on units' claims as read by
// ParseReview: 办结76号, 退回76号 原因…, 同意延期76号, 不同意延期76号 原因….
type Review struct {
	// Decision is the state the decision records: kb.Closed, kb.Returned,
	// kb.ExtensionApproved or kb.ExtensionRejected.
	Decision kb.State
	Nos      []int
	Table    kb.Table // as in Report: KeyTasks unless Scoped
	Scoped   bool
	Reason   string // the reviewer's words after the task ("材料不全")
}

// Decides reports whether the decision applies to a task in state s: a
// completion decision to a claim, an extension decision to a request.
func (r Review) Decides(s kb.State) bool {
	switch r.Decision {
	case kb.Closed, kb.Returned:
		return s == kb.Claimed
	case kb.ExtensionApproved, kb.ExtensionRejected:
		return s == kb.Extension
	}
	return false
}

// The decision words lead the message, so that a unit's own report
// ("76号已办结") is never read as a review. Longer words come first: 不同意延期
// before 同意延期.
var (
	reReviewVerb = regexp.MustCompile(`^(?:审核)?(不同意延期|不批准延期|驳回延期|同意延期|批准延期|确认办结|审核通过|办结|销号|通过|退回|退办|驳回)\s*[:：]?\s*`)
	reReason     = regexp.MustCompile(`^[,，。；;:：\s]*(?:(?:原因|理由|意见)\s*[:：])?\s*`)
)

var reviewDecisions = map[string]kb.State{
	"不同意延期": kb.ExtensionRejected, "不批准延期": kb.ExtensionRejected, "驳回延期": kb.ExtensionRejected,
	"同意延期": kb.ExtensionApproved, "批准延期": kb.ExtensionApproved,
	"确认办结": kb.Closed, "审核通过": kb.Closed, "办结": kb.Closed, "销号": kb.Closed, "通过": kb.Closed,
	"退回": kb.Returned, "退办": kb.Returned, "驳回": kb.Returned,
}

// ParseReview reads a reviewer's decision: the decision word, then the
// task numbers as a report names them, then an optional reason. It reports
// false for anything else, questions included ("退回76号了吗").
func ParseReview(text string) (Review, bool) {
	s := normalize(text)
	m := reReviewVerb.FindStringSubmatch(s)
	if m == nil {
		return Review{}, false
	}
	rep, rest, ok := taskRef(strings.TrimSpace(s[len(m[0]):]))
	if !ok || reQuestion.MatchString(rest) {
		return Review{}, false
	}
	reason := strings.TrimSpace(reReason.ReplaceAllString(rest, ""))
	return Review{Decision: reviewDecisions[m[1]], Nos: rep.Nos, Table: rep.Table, Scoped: rep.Scoped, Reason: reason}, true
}
