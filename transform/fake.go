package transform

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// maxFakeAttempts bounds the redraws made when a fake equals its input.
const maxFakeAttempts = 16

var fakeSpec = &Spec{
	Name:    "fake",
	Summary: "replace each value with a realistic fake, the same fake for the same value",
	Doc: "Every non-null value becomes a fake of the chosen kind. The fake is a pure " +
		"function of the secret key, the namespace, the kind and the value: the same " +
		"value gets the same fake in every file, run, batch size and machine, and " +
		"columns sharing a namespace stay joinable. A different key changes the " +
		"fakes. A fake never equals its own input (compared ignoring case). Fakes " +
		"are many-to-one: two values may share a fake, unless the column is marked " +
		"unique (below). An empty string is a value like any other and gets a " +
		"fake. Nulls stay null. The output is text. Kinds: first_name, last_name, " +
		"full_name (\"First Last\"), company, city (gofakeit word lists); username " +
		"(lowercase, from a fake first and last name, like anna.smith or smith42); " +
		"email (first.last plus 8 digits at example.com, example.org or example.net, " +
		"never a real mailbox); phone (fictional +1-NXX-555-01XX numbers, a block " +
		"reserved for fiction); street_address (number, street name and suffix); " +
		"zip (5 digits); date_of_birth (between 1940-01-01 and 2005-12-31, written " +
		"in the input's layout when it is 2006-01-02, 01/02/2006, 1/2/2006 " +
		"(month first) or RFC 3339 with the time set to midnight in the input's " +
		"offset, else as 2006-01-02); credit_card (16 digits, Luhn-valid, Visa or " +
		"Mastercard prefix); iban (DE, GB or FR, with valid ISO 13616 check digits, " +
		"no spaces); ipv4 (in the documentation ranges 192.0.2.0/24, " +
		"198.51.100.0/24 and 203.0.113.0/24); uuid (version 4 text). With " +
		"`unique: true` on the column, email, username and phone fakes are made " +
		"collision-free by construction instead: a realistic part is derived as " +
		"above, and the rest is the FF1 token of the whole value (see tokenize), a " +
		"bijection, so distinct values always give distinct fakes. email becomes " +
		"first.last.TOKEN-LOCAL@TOKEN-DOMAIN.example (the .example top-level " +
		"domain never delivers mail), username first.last.TOKEN, and phone the " +
		"tokenized number in the input's own layout. Such fakes are as long as " +
		"the value, and a value with fewer than 1,000,000 letter and digit " +
		"combinations stops the run, as in tokenize.",
	Keyed: true,
	Params: []Param{
		{Name: "kind", Type: ParamEnum, Required: true, Enum: fakeKindNames(),
			Doc: "what to generate"},
		{Name: "namespace", Type: ParamString,
			Doc: "columns with the same namespace give a value the same fake; " +
				"defaults to the column name"},
	},
	Example: "customer_name: {strategy: fake, kind: full_name, namespace: person}",
	New: func(o Options) (Strategy, error) {
		ns, err := namespaceOption(o)
		if err != nil {
			return nil, err
		}
		if o.Unique() {
			return NewUniqueFake(FakeKind(o.String("kind")), ns)
		}
		return NewFake(FakeKind(o.String("kind")), ns)
	},
	Unique: fakeUnique,
}

// Fake replaces each value with a realistic fake of one kind, consistently.
// Build it with [NewFake].
type Fake struct {
	kind      FakeKind
	namespace string
	gen       fakeGenerator
}

// NewFake returns a Fake generating kind, keyed by namespace. An unknown kind
// is a [*ParamError].
func NewFake(kind FakeKind, namespace string) (*Fake, error) {
	gen := fakeGeneratorOf(kind)
	if gen == nil {
		return nil, paramErrorf("kind", "unknown kind %q", kind)
	}
	return &Fake{kind: kind, namespace: namespace, gen: gen}, nil
}

// Kind returns the kind of fake generated.
func (f *Fake) Kind() FakeKind { return f.kind }

// OutputType implements [Strategy]: text (large text stays large); nested
// types are refused.
func (f *Fake) OutputType(in arrow.DataType) (arrow.DataType, error) {
	return textStrategyOutputType(in)
}

// Apply implements [Strategy]. Without a secret key it returns an error
// wrapping [ErrNoSecret].
func (f *Fake) Apply(w *Worker, in Input) (arrow.Array, error) {
	if !w.keyed {
		return nil, fmt.Errorf("column %q: fake needs a secret key: %w", in.Name(), ErrNoSecret)
	}
	return mapTextMemo(w, f, in, func(dst, v []byte) ([]byte, error) {
		return f.AppendFake(w, dst, v)
	})
}

// AppendFake appends the fake of v to dst and returns it. The worker's
// generator is seeded from the keyed digest of v, so the fake depends on
// nothing else; if it equals v, the generator is drawn again.
func (f *Fake) AppendFake(w *Worker, dst, v []byte) ([]byte, error) {
	d, err := w.Digest("fake", f.namespace, v)
	if err != nil {
		return dst, err
	}
	w.Seed(d)

	start := len(dst)
	for attempt := 1; ; attempt++ {
		dst = f.gen(w, d, v, dst[:start])
		if attempt == maxFakeAttempts || !bytes.EqualFold(dst[start:], v) {
			return dst, nil
		}
	}
}
