package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/handlers"
)

// addTools registers every tool. Each is read-only and closed-world: it
// answers from the loaded documents only.
func (s *Server) addTools() {
	s.addTaskTools()
	s.addDueTools()
	s.addDivisionTool()
	s.addPlanTools()
	s.addSearchTools()
}

// An arg refines one property of a tool's input schema beyond what the Go
// type says: the values it may take and its default.
type arg struct {
	enum []any
	def  any
}

// inputSchema is In's schema (property descriptions from jsonschema tags)
// with args' enums and defaults. A property missing from In is a
// programmer error, found at registration.
func inputSchema[In any](args map[string]arg) *jsonschema.Schema {
	sch, err := jsonschema.For[In](nil)
	if err != nil {
		panic(fmt.Sprintf("mcp: input schema: %v", err))
	}
	for name, a := range args {
		p := sch.Properties[name]
		if p == nil {
			panic(fmt.Sprintf("mcp: input schema %T has no property %q", *new(In), name))
		}
		p.Enum = a.enum
		if a.def != nil {
			raw, err := json.Marshal(a.def)
			if err != nil {
				panic(fmt.Sprintf("mcp: default of %q: %v", name, err))
			}
			p.Default = raw
		}
	}
	return sch
}

// addTool registers fn as tool name. fn gets the current handler (so a
// reload between calls is seen) and its typed input; its error becomes a
// tool error result that names the tool.
func addTool[In, Out any](s *Server, name, title, desc string, args map[string]arg,
	fn func(ctx context.Context, h *handlers.Handler, in In) (Out, error)) {
	closed := false
	tool := &sdk.Tool{
		Name:        name,
		Title:       title,
		Description: desc,
		InputSchema: inputSchema[In](args),
		Annotations: &sdk.ToolAnnotations{Title: title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &closed},
	}
	sdk.AddTool(s.srv, tool, func(ctx context.Context, _ *sdk.CallToolRequest, in In) (*sdk.CallToolResult, Out, error) {
		start := time.Now()
		var out Out
		h, err := s.handler()
		if err == nil {
			out, err = fn(ctx, h, in)
		}
		s.cfg.Logger.Debug("mcp tool call", "tool", name, "duration", time.Since(start), "err", err)
		if err != nil {
			return nil, out, fmt.Errorf("%s: %w", name, err)
		}
		return nil, out, nil
	})
}
