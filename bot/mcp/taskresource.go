package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/kb"
)

// TaskURITemplate names one task as a resource, so a desktop client can
// attach a task to a conversation: duban://task/key_tasks/76.
const TaskURITemplate = "duban://task/{table}/{no}"

const taskURIPrefix = "duban://task/"

func (s *Server) addTaskResource() {
	s.srv.AddResourceTemplate(&sdk.ResourceTemplate{
		URITemplate: TaskURITemplate,
		Name:        "task",
		Title:       "Task by table and number",
		Description: "One task record as the task tool returns it, with its status and source; table is an id from duban://documents.",
		MIMEType:    "application/json",
	}, s.readTask)
}

func (s *Server) readTask(_ context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	uri := req.Params.URI
	h, err := s.handler()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	table, no, ok := parseTaskURI(uri)
	if !ok {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	b := h.Base()
	r, ok := b.Task(kb.Table(table), no)
	if !ok {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	raw, err := json.Marshal(s.record(b, r))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(raw)}}}, nil
}

// parseTaskURI reads duban://task/TABLE/NO.
func parseTaskURI(uri string) (string, int, bool) {
	rest, ok := strings.CutPrefix(uri, taskURIPrefix)
	if !ok {
		return "", 0, false
	}
	table, n, ok := strings.Cut(rest, "/")
	no, err := strconv.Atoi(n)
	if !ok || table == "" || err != nil || no <= 0 {
		return "", 0, false
	}
	return table, no, true
}
