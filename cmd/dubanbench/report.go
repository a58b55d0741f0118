package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Report is one platform's run.
type Report struct {
	Platform    string  `json:"platform"`
	Rate        float64 `json:"target_rate"` // 0: as fast as possible
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"` // finished, successful or not
	Errors      int     `json:"errors"`
	// ErrorKinds counts errors by kind ("status 401", "empty reply", …).
	ErrorKinds   map[string]int `json:"error_kinds,omitempty"`
	ErrorSamples []string       `json:"error_samples,omitempty"` // the first few, verbatim
	Seconds      float64        `json:"seconds"`
	Throughput   float64        `json:"throughput"` // finished requests per second
	Latency      Percentiles    `json:"latency_ms"` // request sent → reply read
	// Lag is how late requests left against the fixed-rate schedule:
	// large values mean the client or the server could not keep up.
	Lag    *Percentiles `json:"lag_ms,omitempty"`
	Server *Memory      `json:"server,omitempty"`
}

// Percentiles of a latency distribution, in milliseconds.
type Percentiles struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// Memory is the server's resident memory read from /proc/PID/status.
type Memory struct {
	PID    int     `json:"pid"`
	PeakMB float64 `json:"peak_rss_mb"` // VmHWM: the high-water mark since the process started
	RSSMB  float64 `json:"rss_mb"`      // VmRSS now
}

const maxErrorSamples = 5

func summarize(platform string, ss []sample, elapsed time.Duration, cfg LoadConfig) Report {
	r := Report{Platform: platform, Rate: cfg.Rate, Concurrency: cfg.Concurrency, Requests: len(ss),
		Seconds: elapsed.Seconds()}
	if elapsed > 0 {
		r.Throughput = float64(len(ss)) / elapsed.Seconds()
	}
	lat := make([]time.Duration, 0, len(ss))
	var lag []time.Duration
	for _, s := range ss {
		lat = append(lat, s.latency)
		if cfg.Rate > 0 {
			lag = append(lag, s.lag)
		}
		if s.kind == "" {
			continue
		}
		r.Errors++
		if r.ErrorKinds == nil {
			r.ErrorKinds = map[string]int{}
		}
		r.ErrorKinds[s.kind]++
		if len(r.ErrorSamples) < maxErrorSamples {
			r.ErrorSamples = append(r.ErrorSamples, s.kind+": "+s.err.Error())
		}
	}
	r.Latency = percentiles(lat)
	if lag != nil {
		p := percentiles(lag)
		r.Lag = &p
	}
	return r
}

// percentiles uses the nearest-rank method; d is sorted in place.
func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(d))+0.999999) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
	return Percentiles{Mean: ms(sum / time.Duration(len(d))), P50: ms(rank(0.50)), P95: ms(rank(0.95)),
		P99: ms(rank(0.99)), Max: ms(d[len(d)-1])}
}

// ReadMemory reads VmHWM and VmRSS of process pid.
func ReadMemory(pid int) (*Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("server memory: %w", err)
	}
	defer f.Close()
	m := &Memory{PID: pid}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmHWM" && k != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			return nil, fmt.Errorf("server memory: %s %q: %w", k, v, err)
		}
		if k == "VmHWM" {
			m.PeakMB = kb / 1024
		} else {
			m.RSSMB = kb / 1024
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("server memory: %w", err)
	}
	if m.PeakMB == 0 {
		return nil, fmt.Errorf("server memory: no VmHWM in /proc/%d/status", pid)
	}
	return m, nil
}

// WriteText writes r for people.
func (r Report) WriteText(w io.Writer) {
	mode := "as fast as possible"
	if r.Rate > 0 {
		mode = fmt.Sprintf("fixed rate %.0f req/s", r.Rate)
	}
	fmt.Fprintf(w, "%s: %s, %d in flight at most\n", r.Platform, mode, r.Concurrency)
	fmt.Fprintf(w, "  requests   %d in %.2f s, %d errors\n", r.Requests, r.Seconds, r.Errors)
	fmt.Fprintf(w, "  throughput %.0f req/s\n", r.Throughput)
	l := r.Latency
	fmt.Fprintf(w, "  latency    mean %.3f ms  p50 %.3f  p95 %.3f  p99 %.3f  max %.3f ms\n", l.Mean, l.P50, l.P95, l.P99, l.Max)
	if r.Lag != nil {
		fmt.Fprintf(w, "  send lag   p99 %.3f ms  max %.3f ms (behind the fixed-rate schedule)\n", r.Lag.P99, r.Lag.Max)
	}
	if r.Server != nil {
		fmt.Fprintf(w, "  server     peak RSS %.1f MB (VmHWM), RSS now %.1f MB\n", r.Server.PeakMB, r.Server.RSSMB)
	}
	kinds := make([]string, 0, len(r.ErrorKinds))
	for k := range r.ErrorKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  error      %s × %d\n", k, r.ErrorKinds[k])
	}
	for _, s := range r.ErrorSamples {
		fmt.Fprintf(w, "    e.g. %s\n", s)
	}
}

// tsvHeader names the columns WriteTSV writes; scripts read them with awk.
const tsvHeader = "platform\ttarget_rate\tconcurrency\trequests\terrors\tseconds\tthroughput\tmean_ms\tp50_ms\tp95_ms\tp99_ms\tmax_ms\tlag_p99_ms\tpeak_rss_mb"

// WriteTSV writes a header and one tab-separated line per report; lag and
// memory are -1 when not measured.
func WriteTSV(w io.Writer, rs []Report) error {
	if _, err := fmt.Fprintln(w, tsvHeader); err != nil {
		return fmt.Errorf("write tsv: %w", err)
	}
	for _, r := range rs {
		lag, mem := -1.0, -1.0
		if r.Lag != nil {
			lag = r.Lag.P99
		}
		if r.Server != nil {
			mem = r.Server.PeakMB
		}
		l := r.Latency
		if _, err := fmt.Fprintf(w, "%s\t%.0f\t%d\t%d\t%d\t%.3f\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\n",
			r.Platform, r.Rate, r.Concurrency, r.Requests, r.Errors, r.Seconds, r.Throughput,
			l.Mean, l.P50, l.P95, l.P99, l.Max, lag, mem); err != nil {
			return fmt.Errorf("write tsv: %w", err)
		}
	}
	return nil
}

// WriteJSON writes the reports as one indented JSON array.
func WriteJSON(w io.Writer, rs []Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rs); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
