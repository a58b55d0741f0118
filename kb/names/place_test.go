package names

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStripPlace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"如皋市住房和城乡建设局", "住房和城乡建设局"},
		{"江苏省南通市如东县财政局", "财政局"},
		{"县发展和改革局", "发展和改革局"},
		{"青溪县交通运输局", "交通运输局"},
		{"临江市生态环境局青溪分局", "生态环境局青溪分局"},
		{"海门区住建局", "住建局"},
		{"鄂托克旗教育局", "教育局"},
		{"三星镇人民政府", "三星镇人民政府"}, // Written turns it into 三星镇
		// collectives stay collectives
		{"县级相关部门", "县级相关部门"},
		{"各乡镇（街道）", "各乡镇（街道）"},
		// development zones and 管委会 are units
		{"县经济开发区管委会", "经济开发区管委会"},
		{"海门港新区", "海门港新区"},
		{"高新区", "高新区"},
		{"开发区", "开发区"},
		// a leading 市/区 that belongs to the word
		{"市场监督管理局", "市场监督管理局"},
		{"区域治理现代化指挥中心", "区域治理现代化指挥中心"},
		{"市民中心", "市民中心"},
		{"城市管理局", "城市管理局"},
		{"社区卫生服务中心", "社区卫生服务中心"},
	}
	for _, tt := range tests {
		if got := StripPlace(tt.in); got != tt.want {
			t.Errorf("StripPlace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnitCountyForms(t *testing.T) {
	tests := []struct{ a, b string }{
		{"县住房和城乡建设局", "住建局"},
		{"县住建局", "住房城乡建设局"},
		{"如皋市住房和城乡建设局", "住建局"},
		{"县发展和改革局", "发改委"},
		{"县卫生健康委员会", "卫健委"},
		{"江苏海晟控股集团有限公司", "海晟控股集团"},
		{"青溪县城乡供水有限公司", "城乡供水公司"},
	}
	for _, tt := range tests {
		if Unit(tt.a) != Unit(tt.b) {
			t.Errorf("Unit(%q) = %q, Unit(%q) = %q: want one unit", tt.a, Unit(tt.a), tt.b, Unit(tt.b))
		}
	}
	if got := Written("县发展和改革局"); got != "发展和改革局" {
		t.Errorf("Written(县发展和改革局) = %q: a county's own spelling must stay", got)
	}
	for in, want := range map[string]string{"县委办": "县委办", "县委组织部": "组织部", "海门街道办事处": "海门街道", "县经济开发区管委会": "经济开发区管委会"} {
		if got := Written(in); got != want {
			t.Errorf("Written(%q) = %q, want %q", in, got, want)
		}
	}
	if Unit("县经济开发区管委会") != Unit("经济开发区") || Unit("青溪经济技术开发区管委会") != "开发区" {
		t.Errorf("Unit(县经济开发区管委会) = %q, Unit(经济开发区) = %q: want one unit", Unit("县经济开发区管委会"), Unit("经济开发区"))
	}
	if got := Written("三星镇人民政府"); got != "三星镇" {
		t.Errorf("Written(三星镇人民政府) = %q, want 三星镇", got)
	}
	for _, c := range []string{"县级相关部门", "各乡镇（街道）", "各有关单位", "市级有关部门"} {
		if !IsCollective(c) || Unit(c) != c {
			t.Errorf("%q: IsCollective %v, Unit %q: want a collective kept as written", c, IsCollective(c), Unit(c))
		}
	}
}

// TestPrefixesGenerated: a curated unit behind generated place names —
// one, nested, with each suffix — is the same unit (a metamorphic test:
// prefixing a place changes no key).
func TestPrefixesGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 14))
	// Place characters; 港 and 湾 are left out: 通海港区 is a port zone.
	const han = "东西南北青溪临江如皋泰兴宝应丰沛睢宁金湖涟水灌云滨海阜宁大丰兴化高邮仪征丹阳句容溧阳宜兴江阴昆山太仓常熟张家吴江"
	chars := []rune(han)
	place := func() string {
		n := 2 + rng.IntN(2)
		var b strings.Builder
		for range n {
			b.WriteRune(chars[rng.IntN(len(chars))])
		}
		return b.String()
	}
	var units []string
	for a := range aliases {
		units = append(units, a)
	}
	for c := range canonical {
		units = append(units, c)
	}
	for n := 0; n < 2000; n++ {
		u := units[rng.IntN(len(units))]
		if strings.HasPrefix(u, "委") || strings.HasPrefix(u, "场") || strings.HasPrefix(u, "监局") || keepPrefix[u] {
			continue // fragments left by a prefix, not names
		}
		prefix := place() + string([]rune("省市县区")[rng.IntN(4)])
		if rng.IntN(3) == 0 {
			prefix = place() + "市" + place() + "县"
		}
		if got, want := Unit(prefix+u), Unit(u); got != want {
			t.Errorf("Unit(%q) = %q, Unit(%q) = %q", prefix+u, got, u, want)
		}
	}
}

// FuzzStripPlace: stripping never panics, leaves a tail of the name, is
// idempotent, and keeps collectives whole.
func FuzzStripPlace(f *testing.F) {
	for _, s := range []string{"江苏省南通市如东县财政局", "县级相关部门", "海门港新区", "市场监督管理局", "县", "市市", "区镇", "各乡镇（街道）", "临江市生态环境局青溪分局"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := StripPlace(s)
		if !strings.HasSuffix(Clean(s), got) {
			t.Fatalf("StripPlace(%q) = %q: not a tail of the name", s, got)
		}
		if again := StripPlace(got); again != got {
			t.Fatalf("StripPlace(%q) = %q, then %q: not idempotent", s, got, again)
		}
		if Clean(s) != "" && got == "" {
			t.Fatalf("StripPlace(%q) is empty", s)
		}
		if IsCollective(s) && got != Clean(s) {
			t.Fatalf("StripPlace(%q) = %q: a collective cut", s, got)
		}
		_ = Unit(s)
		_ = Written(s)
	})
}
