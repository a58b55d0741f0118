package bot

import "testing"

func TestCardKeyRoundTrip(t *testing.T) {
	verbs := []string{VerbDone, VerbExtend, VerbDetail, VerbApprove, VerbReturn, VerbApproveExt, VerbRejectExt}
	for _, v := range verbs {
		for _, tb := range []string{"r1", "key2020", "t-3"} {
			for _, no := range []int{1, 76, 1234} {
				for _, suffix := range []string{"", ":x9"} {
					k := CardKey(v, tb, no) + suffix
					gv, gt, gn, err := ParseCardKey(k)
					if err != nil || gv != v || gt != tb || gn != no {
						t.Errorf("ParseCardKey(%q) = %q %q %d %v", k, gv, gt, gn, err)
					}
				}
			}
		}
	}
	for _, bad := range []string{"", "done", "done:r1", "done:r1:x", "done:r1:0", ":r1:3", "done::3"} {
		if _, _, _, err := ParseCardKey(bad); err == nil {
			t.Errorf("ParseCardKey(%q): no error", bad)
		}
	}
}
