package ingest

import (
	"strings"
	"testing"

	"duban/kb"
)

func leaderNamed(c kb.Contents, name string) (kb.Leader, bool) {
	for _, l := range c.Leaders {
		if l.Name == name {
			return l, true
		}
	}
	return kb.Leader{}, false
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNoticesSeedLeaders(t *testing.T) {
	d := noticesSeed(t, "002_")
	c := canon(extractNotices(d))
	const title = "关于区政府领导同志工作分工的通知"
	tests := []struct {
		name, post string
		line       int
		oversees   []string
		liaises    []string
		areas      []string
		assists    []string
	}{
		{"沈旭东", "区委副书记，区政府区长", 224, nil, []string{"人武部", "驻海部队", "海门港新区"}, []string{"区政府全面工作", "财政", "人民武装"}, nil},
		{"周国强", "区委常委，区政府常务副区长", 227,
			[]string{"政府办", "研究室", "外事办", "电子政务中心", "发改委", "工信局", "粮食和物资储备局", "人社局", "应急管理局", "安委办", "国资办", "金融监管局", "区域治理现代化指挥中心", "机关事务服务中心", "交易中心", "江苏海润城市发展集团有限公司"},
			[]string{"法院", "检察院", "税务局", "开发区", "海门街道"}, []string{"区政府常务工作", "发展改革", "粮食和物资储备"},
			[]string{"区长统筹协调全区经济建设和社会事业重大问题", "负责财政", "负责审计", "分管财政局", "分管审计局"}},
		{"宋涯", "副区长", 231, []string{"发改委", "工信局", "粮食和物资储备局", "科技局", "审批局", "政务办", "企业服务中心", "统计局", "投资服务中心", "项目办", "科创办"},
			[]string{"临江新区", "三厂工业园区", "科协"}, []string{"工业经济", "挂帅北京招商分局"}, nil},
		{"丁忠明", "副区长", 235, []string{"司法局", "依治办", "信访局"}, []string{"三星镇"}, []string{"区公安局工作", "司法行政", "信访", "社会治理"},
			[]string{"负责消防救援", "负责人民武装", "负责处置和打击非法集资", "分管消防救援大队", "联系人武部", "联系驻海部队"}},
		{"王一兵", "副区长", 239, []string{"商务局", "口岸办", "市监局", "知识产权局", "攻坚办"}, []string{"南通海关驻海门办事处", "悦来镇"}, []string{"“菜篮子”工程"},
			[]string{"负责大数据管理", "负责区域治理现代化", "分管区域治理现代化指挥中心"}},
		{"王瑊", "副区长", 243, []string{"农业农村局", "乡村振兴局", "水利局", "文广旅局", "民政局", "退役军人事务局", "供销总社"}, []string{"残联", "正余镇", "海永镇"}, []string{"河长制"}, nil},
		{"施张范", "副区长", 247, []string{"教体局", "教育督导室", "卫健委", "医保局", "地方志办公室"}, []string{"团区委", "常乐镇", "余东镇"}, []string{"地方志"}, nil},
		{"茅敏勇", "副区长", 251, []string{"住建局", "人防办", "地震局", "城管局", "交通局", "政府投资项目工程建设中心", "住房建设服务中心", "北部新城建设指挥部", "海晟集团", "江苏海鸿投资控股集团有限公司"},
			// 江苏海晟控股集团有限公司 is the 海晟集团 of the parking plan's duties: one unit, under its short name
			[]string{"南通海门海事处", "自然资源局", "林业局", "海洋局", "邮政管理局", "四甲镇"}, []string{"交通运输", "绿化"}, nil},
		{"陈腾", "挂职", 254, nil, nil, []string{"科技镇长团工作"}, []string{"负责工业经济", "负责科技创新", "联系三厂工业园区"}},
		{"成建平", "", 255, nil, nil, nil, []string{"负责自然资源管理", "负责交通运输", "负责绿化"}},
		{"陈敏", "", 257, nil, nil, nil, []string{"负责财税和招商引资工作"}},
	}
	for _, tt := range tests {
		l, ok := leaderNamed(c, tt.name)
		if !ok {
			t.Errorf("leader %s missing", tt.name)
			continue
		}
		if l.Post != tt.post || l.Source.Line != tt.line || l.Source.Title != title {
			t.Errorf("%s: post %q at %+v, want %q at line %d", tt.name, l.Post, l.Source, tt.post, tt.line)
		}
		if tt.oversees != nil && strings.Join(l.Oversees, "、") != strings.Join(tt.oversees, "、") {
			t.Errorf("%s oversees %q, want %q", tt.name, l.Oversees, tt.oversees)
		}
		if tt.oversees == nil && len(l.Oversees) > 0 {
			t.Errorf("%s oversees %q, want none", tt.name, l.Oversees)
		}
		for _, u := range tt.liaises {
			if !hasString(l.Liaises, u) {
				t.Errorf("%s liaises %q, want it to include %s", tt.name, l.Liaises, u)
			}
		}
		for _, a := range tt.areas {
			if !hasString(l.Areas, a) {
				t.Errorf("%s areas %q, want it to include %s", tt.name, l.Areas, a)
			}
		}
		for _, a := range tt.assists {
			if !hasString(l.Assists, a) {
				t.Errorf("%s assists %q, want it to include %s", tt.name, l.Assists, a)
			}
		}
	}
	// The questions officials ask.
	who := func(pick func(kb.Leader) []string, unit string) []string {
		var out []string
		for _, l := range c.Leaders {
			if hasString(pick(l), unit) {
				out = append(out, l.Name)
			}
		}
		return out
	}
	oversees := func(l kb.Leader) []string { return l.Oversees }
	liaises := func(l kb.Leader) []string { return l.Liaises }
	if got := who(oversees, "交通局"); strings.Join(got, ",") != "茅敏勇" {
		t.Errorf("交通运输局归谁分管 = %v, want 茅敏勇", got)
	}
	if got := who(liaises, "三星镇"); strings.Join(got, ",") != "丁忠明" {
		t.Errorf("谁联系三星镇 = %v, want 丁忠明", got)
	}
	if got := who(oversees, "发改委"); strings.Join(got, ",") != "周国强,宋涯" {
		t.Errorf("发改委归谁分管 = %v, want 周国强 (为主), 宋涯", got)
	}
}
