package ingest

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Real places whose last character also ends common words (门 of 部门, 山
// of 山区, 港 of 港区, 城 of 城市, 林 of 林区, 乡 of 乡镇, 营 of 营商): their
// documents name them, and readPlace reads them.
var placeNames = []string{
	"厦门", "江门", "荆门", "天门", "海门", "玉门", "黄山", "佛山", "唐山", "鞍山", "中山", "乐山", "萧山", "昆山",
	"晋城", "盐城", "聊城", "邹城", "诸城", "宜城", "韩城", "榆林", "桂林", "玉林", "吉林", "东营", "萍乡", "湘乡",
	"宁乡", "新乡", "怀化", "敦化", "南通", "如东", "青溪", "崇川", "海陵", "泰兴", "句容", "东台", "大丰", "兴化",
}

// Lines that name no place although a character and a level follow each
// other in them: 城市, 山区, 港区, 林区, 园区, 全市, 景区, 门市.
var noPlaceLines = []string{
	"推进城市更新，提升城市品质。", "加快山区县乡村振兴。", "建设智慧港区和物流园区。", "实施海绵城市建设试点。",
	"全市上下要高度重视。", "做好景区提升和林区防火。", "规范临街门市经营秩序。", "争创全国文明城市，建设美丽城市。",
	"推进城市管理精细化。", "开发区管委会、高新区管委会按职责分工负责。", "城区、镇区道路改造。",
}

func placeDoc(rng *rand.Rand, lines []string) *Document {
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	all := append([]string{"关于做好重点工作的通知", ""}, lines...)
	return &Document{File: "g.txt", Title: all[0], Lines: all, NumLines: len(all)}
}

// TestDocPlaceGenerated: over real-looking places, a document that names
// its place a few times among lines full of 城市, 山区 and 港区 is read as
// that place, from its issuing body or from how often it names it; one
// with only those lines names no place.
func TestDocPlaceGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 2))
	levels := []string{"市", "县", "区"}
	for _, name := range placeNames {
		level := levels[rng.IntN(len(levels))]
		noise := func() []string {
			var out []string
			for i := 0; i < 12; i++ {
				out = append(out, noPlaceLines[rng.IntN(len(noPlaceLines))])
			}
			return out
		}
		// The issuing body under the title.
		lines := append(noise(), fmt.Sprintf("%s%s人民政府", name, level))
		d := placeDoc(rng, lines)
		d.Lines = append([]string{d.Lines[0], fmt.Sprintf("%s%s人民政府", name, level)}, d.Lines[1:]...)
		if p, s := docPlaceFull(d); p != name || s != level {
			t.Errorf("issued by %s%s: docPlaceFull = %q %q", name, level, p, s)
		}
		// Named in the text, at the start of a clause or before a break.
		lines = append(noise(),
			fmt.Sprintf("%s%s2025年重点工作任务如下。", name, level),
			fmt.Sprintf("全面推进%s%s高质量发展。", name, level),
			fmt.Sprintf("在%s%s范围内开展专项行动。", name, level),
			fmt.Sprintf("由%s%s统筹推进城市更新。", name, level))
		if p, s := docPlaceFull(placeDoc(rng, lines)); p != name || s != level {
			t.Errorf("named in the text, %s%s: docPlaceFull = %q %q", name, level, p, s)
		}
	}
	for i := 0; i < 50; i++ {
		var lines []string
		for k := 0; k < 3+rng.IntN(30); k++ {
			lines = append(lines, noPlaceLines[rng.IntN(len(noPlaceLines))])
		}
		if p, s := docPlaceFull(placeDoc(rng, lines)); p != "" {
			t.Errorf("no place named: docPlaceFull = %q %q in %q", p, s, lines)
		}
	}
}
