package kb

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkNewIndex measures building the full-text index of 2,000
// paragraphs of 90 characters, about the size of the five seed documents.
func BenchmarkNewIndex(b *testing.B) {
	words := []string{"推进", "建设", "重点", "项目", "城市", "交通", "完成", "改造", "工程", "服务", "提升", "农村", "生态", "管理", "发展"}
	var ps []Passage
	for i := 0; i < 2000; i++ {
		var sb strings.Builder
		for j := 0; j < 45; j++ {
			sb.WriteString(words[(i*7+j*3)%len(words)])
		}
		ps = append(ps, Passage{Text: sb.String() + fmt.Sprint(i)})
	}
	for b.Loop() {
		x, err := NewIndex(ps)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Wait(); err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}
