package mcp

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"duban/handlers"
	"duban/kb"
	"duban/kb/names"
	"duban/kb/textnorm"
)

// IndicatorIn is the input of indicator.
type IndicatorIn struct {
	Name  string `json:"name" jsonschema:"words of the indicator's name (GDP, 经费支出, 森林覆盖率) or its category (经济实力)"`
	Table string `json:"table,omitempty" jsonschema:"only this indicator table (表1)"`
}

// IndicatorOut is the output of indicator.
type IndicatorOut struct {
	Miss
	Count      int         `json:"count"`
	Indicators []Indicator `json:"indicators"`
}

// An Indicator is a row of a plan's indicator table.
type Indicator struct {
	Table     string `json:"table" jsonschema:"表1 …"`
	Category  string `json:"category" jsonschema:"类别"`
	No        int    `json:"no" jsonschema:"序号"`
	Name      string `json:"name" jsonschema:"指标"`
	Unit      string `json:"unit" jsonschema:"单位"`
	Base      string `json:"base,omitempty" jsonschema:"基期 value, where the table has one"`
	Target    string `json:"target" jsonschema:"目标"`
	Attribute string `json:"attribute" jsonschema:"属性: 预期性 or 约束性"`
	Source    Source `json:"source"`
}

// QuotaIn is the input of quota.
type QuotaIn struct {
	Town  string `json:"town,omitempty" jsonschema:"a town or park (开发区, 三星镇); default: every town"`
	Item  string `json:"item,omitempty" jsonschema:"words of the column (新增上市企业); default: every column"`
	Topic string `json:"topic,omitempty" jsonschema:"words of the quota table's title; default: every table"`
}

// QuotaOut is the output of quota.
type QuotaOut struct {
	Miss
	Count  int     `json:"count"`
	Quotas []Quota `json:"quotas"`
}

// A Quota is one town's number in a per-town quota table.
type Quota struct {
	Topic  string `json:"topic" jsonschema:"the table: what it allocates"`
	Town   string `json:"town"`
	Item   string `json:"item" jsonschema:"the column"`
	Value  string `json:"value" jsonschema:"as written"`
	Source Source `json:"source"`
}

func (s *Server) addPlanTools() {
	addTool(s, "indicator", "Plan indicator",
		"Rows of a plan's indicator tables (类别, 序号, 指标, 单位, 基期, 目标, 属性) whose name contains the words given or whose category is them. "+
			"No match returns not_found with the nearest indicator names.",
		map[string]arg{}, s.indicator)
	addTool(s, "quota", "Per-town quota",
		"Numbers of the per-town quota tables (任务分解表 by 区镇), filtered by town, column and table title. An unknown town or column returns not_found with candidates.",
		map[string]arg{}, s.quota)
}

func (s *Server) indicator(_ context.Context, h *handlers.Handler, in IndicatorIn) (IndicatorOut, error) {
	c := h.Base().Contents()
	q := textnorm.Fold(in.Name)
	if strings.TrimSpace(q) == "" {
		return IndicatorOut{}, fmt.Errorf("name is empty")
	}
	out := IndicatorOut{Indicators: []Indicator{}}
	var pool []string
	for _, x := range c.Indicators {
		if in.Table != "" && x.Table != in.Table {
			continue
		}
		pool = append(pool, x.Name)
		if strings.Contains(textnorm.Fold(x.Name), q) || textnorm.Fold(x.Category) == q {
			out.Indicators = append(out.Indicators, indicator(x))
		}
	}
	out.Count = len(out.Indicators)
	if out.Count == 0 {
		out.Miss = miss(fmt.Sprintf("没有名称含“%s”的指标", in.Name), nearest(in.Name, pool, maxCandidates))
	}
	return out, nil
}

func indicator(x kb.Indicator) Indicator {
	return Indicator{Table: x.Table, Category: x.Category, No: x.No, Name: x.Name, Unit: x.Unit,
		Base: x.Base, Target: x.Target, Attribute: x.Attribute, Source: source(x.Source, "")}
}

func (s *Server) quota(_ context.Context, h *handlers.Handler, in QuotaIn) (QuotaOut, error) {
	c := h.Base().Contents()
	var towns, items []string
	for _, x := range c.Quotas {
		if t := names.Unit(x.Town); !slices.Contains(towns, t) {
			towns = append(towns, t)
		}
		if !slices.Contains(items, x.Item) {
			items = append(items, x.Item)
		}
	}
	town := names.Unit(in.Town)
	if in.Town != "" && !slices.Contains(towns, town) {
		return QuotaOut{Miss: miss(fmt.Sprintf("配额表中没有“%s”", in.Town), nearest(in.Town, towns, maxCandidates))}, nil
	}
	item, topic := textnorm.Fold(in.Item), textnorm.Fold(in.Topic)
	out := QuotaOut{Quotas: []Quota{}}
	for _, x := range c.Quotas {
		if (in.Town != "" && names.Unit(x.Town) != town) ||
			!strings.Contains(textnorm.Fold(x.Item), item) || !strings.Contains(textnorm.Fold(x.Topic), topic) {
			continue
		}
		out.Quotas = append(out.Quotas, Quota{Topic: x.Topic, Town: x.Town, Item: x.Item, Value: x.Value, Source: source(x.Source, "")})
	}
	out.Count = len(out.Quotas)
	if out.Count == 0 {
		what := strings.TrimSpace(strings.Join([]string{in.Town, in.Item, in.Topic}, " "))
		var cand []string
		if in.Item != "" {
			cand = nearest(in.Item, items, maxCandidates)
		}
		out.Miss = miss(fmt.Sprintf("配额表中没有“%s”", what), cand)
	}
	return out, nil
}
