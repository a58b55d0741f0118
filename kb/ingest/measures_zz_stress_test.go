package ingest

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestZZStress(t *testing.T) {
	alpha := []string{"（", "）", "(", ")", "一", "二", "十", "、", "1", "2", ".", "牵头", "负责", "按职责分工负责", "落实", "配合", "年", "底", "到", "2020", "今", "明", "下半年", "冬", "—", "，", "。", "；", "\n", "\n", "方案", "措施", "市财政局", " ", "等", "由"}
	r := rand.New(rand.NewSource(1))
	for k := 0; k < 200000; k++ {
		var b strings.Builder
		n := r.Intn(40)
		for i := 0; i < n; i++ {
			b.WriteString(alpha[r.Intn(len(alpha))])
		}
		s := b.String()
		done := make(chan bool)
		go func() {
			d, err := ReadText("x", []byte(s))
			if err == nil {
				isMeasures(d)
				extractMeasures(d)
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("hang on %q", s)
		}
	}
}
