package handlers_test

import (
	"context"
	"strings"
	"testing"

	"duban/handlers"
)

// TestSeedAnswers asks the seeds' knowledge base questions in officials'
// varied wording (our own, not the evaluation's) and checks each answer
// holds the facts a careful reader finds in the documents, and no name
// that does not belong.
func TestSeedAnswers(t *testing.T) {
	h := seedsHandler(t)
	tests := []struct {
		q    string
		want []string
		not  []string
	}{
		// task numbers, every form; merged cells
		{"第45项的牵头领导", []string{"沈旭东"}, nil},
		{"任务一百二十的领导是谁", []string{"姜勇"}, nil},
		{"45号任务哪个单位牵头负责", []string{"审批局"}, nil},
		{"第七十七项谁牵头", []string{"周国强", "城管局", "合并单元格"}, nil},
		{"第64项由哪个部门负责", []string{"商务局"}, nil},
		{"76号和第77项分别谁牵头", []string{"住建局", "城管局"}, nil},
		{"第174项谁牵头", []string{"未找到", "173"}, []string{"沈旭东", "周国强"}},
		// 实事 and the 2019 list
		{"为民办实事第20件谁负责", []string{"胡文瑞", "法院"}, nil},
		{"民生实事20号的协同单位", []string{"四甲镇", "代建中心"}, nil},
		{"实事第44项什么时候完成", []string{"河道疏浚", "12月底前"}, nil},
		{"南通第七十六项进展", []string{"6626.3"}, nil},
		{"2019年南通任务第33项完成得怎么样", []string{"进展情况"}, nil},
		// lists
		{"发改委牵头了哪些重点工作", []string{"共28项", "第5项"}, nil},
		{"5月底前到期的实事项目", []string{"第25项"}, nil},
		{"黄静牵头哪些实事项目", []string{"第12项", "第39项"}, nil},
		// content
		{"中天钢铁项目谁负责", []string{"第17项", "项目办"}, nil},
		{"垃圾分类由哪个部门负责", []string{"城管局"}, nil},
		{"东灶新河谁牵头", []string{"第2项", "交通局"}, nil},
		{"优化城乡公共交通发展由哪个部门牵头", []string{"交通局"}, nil},
		{"医师队伍建设提升行动方案目标", []string{"每千人口执业"}, nil},
		// division of labour
		{"施张范负责哪些工作", []string{"教育", "卫生健康"}, nil},
		{"谁分管教育", []string{"施张范"}, nil},
		{"卫健委归哪位副区长分管", []string{"施张范"}, nil},
		{"谁联系悦来镇", []string{"王一兵"}, nil},
		{"区政府办公室归谁分管", []string{"周国强"}, nil},
		// plan, quotas, 专栏
		{"常住人口城镇化率目标", []string{"92"}, nil},
		{"十三五GDP增长完成得怎么样", []string{"6.8", "7-7.5"}, nil},
		{"三厂工业园区2022年新增上市企业几家", []string{"2022年新增上市企业数：1家"}, nil},
		{"科创能力提升行动专栏包括什么", []string{"育苗造林"}, nil},
		// counts, English, nothing
		{"南通2019年有几项重点工作", []string{"100项"}, []string{"173"}},
		{"when is project 25 due", []string{"5月底前"}, nil},
		{"who is responsible for key task 12", []string{"沈旭东", "发改委"}, nil},
		{"海绵城市建设谁负责", []string{"未找到"}, []string{"沈旭东", "周国强", "姜勇"}},
		{"今天星期几", []string{"未找到"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := h.Answer(context.Background(), handlers.Question{Text: tt.q}).Text()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Answer(%q) lacks %q:\n%s", tt.q, w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("Answer(%q) contains %q:\n%s", tt.q, w, got)
				}
			}
		})
	}
}
