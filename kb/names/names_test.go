package names

import "testing"

func TestUnit(t *testing.T) {
	tests := []struct{ in, want string }{
		// aliases with and without 市/区 prefixes name one unit
		{"交通局", "交通局"},
		{"交通运输局", "交通局"},
		{"市交通运输局", "交通局"},
		{"区交通局", "交通局"},
		{"卫生健康委员会", "卫健委"},
		{"区卫生健康委员会", "卫健委"},
		{"教育体育局", "教体局"},
		{"市场监督管理局", "市监局"},
		{"市市场监督管理局", "市监局"},
		{"残  联", "残联"},
		{"发展和改革委员会（工业和信息化局、粮食和物资储备局）", "发改委"},
		{"社管中心（社会治理现代化指挥中心）", "社管中心"},
		{"市委办公室", "市委办"},
		{"海门税务局", "税务局"},
		{"市民政局", "民政局"},
		{"海门生态环境局", "生态环境局"},
		// a leading 区/市/海门 that belongs to the word stays
		{"区域治理现代化指挥中心", "区域治理现代化指挥中心"},
		{"海门港新区", "海门港新区"},
		{"海门街道", "海门街道"},
		{"海门经济技术开发区", "开发区"},
		// collectives are kept as written
		{"各区镇", "各区镇"},
		{"相关部门", "相关部门"},
	}
	for _, tt := range tests {
		if got := Unit(tt.in); got != tt.want {
			t.Errorf("Unit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"姜  勇": "姜勇", "黄\u3000静": "黄静", " 沈旭东\t": "沈旭东"} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsCollective(t *testing.T) {
	for s, want := range map[string]bool{"各区镇": true, "相关区镇": true, "各成员单位": true, "全民阅读领导小组成员单位": true, "住建局": false} {
		if got := IsCollective(s); got != want {
			t.Errorf("IsCollective(%q) = %v, want %v", s, got, want)
		}
	}
}
