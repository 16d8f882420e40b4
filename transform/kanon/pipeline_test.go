package kanon

import (
	"context"
	"reflect"
	"testing"

	"github.com/anon-data/anon/transform"
	"github.com/apache/arrow-go/v18/arrow"
)

// collect is a transform.Sink that keeps the batches.
type collect struct{ batches []arrow.RecordBatch }

func (c *collect) Write(b arrow.RecordBatch) error {
	b.Retain()
	c.batches = append(c.batches, b)
	return nil
}

// TestPipeline runs the stage inside transform.Run, with several workers,
// as the CLI will, and compares the output with the stage applied directly.
func TestPipeline(t *testing.T) {
	tab := loadAdult(t)
	for _, method := range []string{MethodGlobal, MethodLocal} {
		t.Run(method, func(t *testing.T) {
			cfg := adultConfig(t, adultQI8, 5, 0.02, MetricDM, method)
			res, direct := run(t, cfg, tab, 1000)

			batches := tab.batches(1000)
			var rules []transform.Rule
			for _, h := range tab.header {
				rules = append(rules,
					transform.Rule{Column: h, Strategy: "keep", Impl: transform.Keep{}})
			}
			plan, err := transform.NewPlan(batches[0].Schema(), rules)
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.SetStage(res.Stage()); err != nil {
				t.Fatal(err)
			}
			sink := &collect{}
			stats, err := transform.Run(context.Background(), plan, &sliceSource{batches: batches},
				sink, transform.RunOptions{Workers: 4})
			if err != nil {
				t.Fatal(err)
			}
			rep := res.Report()
			if stats.RowsWritten != rep.Records-rep.Suppressed {
				t.Errorf("%d rows written, want %d", stats.RowsWritten, rep.Records-rep.Suppressed)
			}
			if !sink.batches[0].Schema().Equal(plan.OutputSchema()) {
				t.Error("output schema differs from the plan's")
			}
			_, got := outputRows(t, sink.batches)
			_, want := outputRows(t, direct)
			if !reflect.DeepEqual(got, want) {
				t.Error("the pipeline's output differs from the stage's")
			}
			checkOutput(t, cfg, res, tab, sink.batches, nil)
		})
	}
}
