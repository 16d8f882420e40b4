package transform

import (
	"github.com/brianvoe/gofakeit/v7"
	"github.com/brianvoe/gofakeit/v7/data"
)

// firstNames and lastNames are gofakeit's name lists, looked up once.
// gofakeit's FirstName and LastName look them up in its two-level data map
// on every call (four map lookups with string keys), which was a tenth of
// the cost of a fake email.
var (
	firstNames = data.Data["person"]["first"]
	lastNames  = data.Data["person"]["last"]
)

// firstName draws what f.FirstName() draws, from the same random stream:
// one f.IntN over the same list. TestNamePickersMatchGofakeit keeps the two
// equal, so an upgrade of the pinned gofakeit that changes its draw fails
// there as well as in the golden files.
func firstName(f *gofakeit.Faker) string {
	return firstNames[f.IntN(len(firstNames))]
}

// lastName draws what f.LastName() draws; see firstName.
func lastName(f *gofakeit.Faker) string {
	return lastNames[f.IntN(len(lastNames))]
}
