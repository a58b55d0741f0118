package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// A Page is one tab, reached through a flattened CDP session.
type Page struct {
	b       *Browser
	session string
	events  chan message
}

// NewPage opens a blank tab of width×height CSS pixels.
func (b *Browser) NewPage(ctx context.Context, width, height int) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := &Page{b: b, session: att.SessionID, events: make(chan message, 256)}
	b.mu.Lock()
	b.events[p.session] = p.events
	b.mu.Unlock()
	for _, c := range []struct {
		method string
		params any
	}{
		{"Page.enable", nil},
		{"Runtime.enable", nil},
		{"Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}},
	} {
		if err := p.Call(ctx, c.method, c.params, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Call sends a CDP command to this page.
func (p *Page) Call(ctx context.Context, method string, params, result any) error {
	return p.b.call(ctx, p.session, method, params, result)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	for len(p.events) > 0 { // forget events of earlier pages
		<-p.events
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.Call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("browser: navigate %s: %s", url, nav.ErrorText)
	}
	for {
		select {
		case m := <-p.events:
			if m.Method == "Page.loadEventFired" {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("browser: navigate %s: waiting for load: %w", url, ctx.Err())
		}
	}
}

// Eval evaluates a JavaScript expression in the page, awaits it if it is a
// promise, and decodes its JSON value into result (if not nil). A thrown
// exception is an error.
func (p *Page) Eval(ctx context.Context, expr string, result any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.Call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "awaitPromise": true, "returnByValue": true, "userGesture": true,
	}, &r)
	if err != nil {
		return err
	}
	if e := r.ExceptionDetails; e != nil {
		return fmt.Errorf("browser: eval: %s %s", e.Text, e.Exception.Description)
	}
	if result != nil && len(r.Result.Value) > 0 {
		return json.Unmarshal(r.Result.Value, result)
	}
	return nil
}

// WaitText waits until an element matching selector contains text, or
// timeoutMillis pass (measured in the page), and returns that element's
// text. It polls in the page every 50 ms; the bound, not a sleep, ends it.
func (p *Page) WaitText(ctx context.Context, selector, text string, timeoutMillis int) (string, error) {
	sel, _ := json.Marshal(selector)
	txt, _ := json.Marshal(text)
	expr := fmt.Sprintf(`(async (sel, text, ms) => {
		const end = Date.now() + ms;
		for (;;) {
			const hit = [...document.querySelectorAll(sel)].find(e => e.textContent.includes(text));
			if (hit) return hit.textContent;
			if (Date.now() > end) throw new Error("timed out waiting for " + sel + " to contain " + text);
			await new Promise(r => setTimeout(r, 50));
		}
	})(%s, %s, %d)`, sel, txt, timeoutMillis)
	var got string
	err := p.Eval(ctx, expr, &got)
	return got, err
}

// Click clicks the centre of the first element matching selector with real
// mouse events, as a user would.
func (p *Page) Click(ctx context.Context, selector string) error {
	sel, _ := json.Marshal(selector)
	var pt struct{ X, Y float64 }
	err := p.Eval(ctx, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) throw new Error("no element " + %s);
		e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`, sel, sel), &pt)
	if err != nil {
		return err
	}
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		ev := map[string]any{"type": typ, "x": pt.X, "y": pt.Y}
		if typ != "mouseMoved" {
			ev["button"], ev["clickCount"] = "left", 1
		}
		if err := p.Call(ctx, "Input.dispatchMouseEvent", ev, nil); err != nil {
			return err
		}
	}
	return nil
}

// Type focuses the element matching selector and types text into it as
// keyboard input (Input.insertText: IME-style, so Chinese works).
func (p *Page) Type(ctx context.Context, selector, text string) error {
	sel, _ := json.Marshal(selector)
	if err := p.Eval(ctx, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) throw new Error("no element " + %s);
		e.focus();
	})()`, sel, sel), nil); err != nil {
		return err
	}
	return p.Call(ctx, "Input.insertText", map[string]any{"text": text}, nil)
}

// Screenshot returns a PNG of the whole page, beyond the viewport too.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.Call(ctx, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
