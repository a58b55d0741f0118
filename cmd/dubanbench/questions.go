package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// builtinQuestions is the default mix, weighted as a work group asks:
// mostly single tasks and units, some lists, dates, people and searches.
var builtinQuestions = []string{
	"76号任务谁牵头",
	"第十二项任务的完成时限",
	"任务１０３配合单位有哪些",
	"第一百零五项谁负责",
	"实事第3项谁牵头",
	"5和9号任务的牵头单位",
	"交通局牵头哪些任务",
	"住建局配合哪些任务",
	"周国强牵头的任务",
	"本月到期的任务",
	"已逾期的任务",
	"沈旭东分管哪些工作",
	"交通运输局归谁分管",
	"谁联系海门港新区",
	"研发经费占比目标",
	"开发区新增上市企业任务",
	"垃圾分类谁牵头",
	"明天天气怎么样",
	"重点工作一共多少项",
	"帮助",
}

// loadQuestions reads one question a line from path, skipping blank lines
// and lines starting with #; an empty path gives the built-in set.
func loadQuestions(path string) ([]string, error) {
	if path == "" {
		return builtinQuestions, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		q := strings.TrimSpace(sc.Text())
		if q == "" || strings.HasPrefix(q, "#") {
			continue
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("questions %s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, errors.New("questions " + path + ": no questions")
	}
	return qs, nil
}
