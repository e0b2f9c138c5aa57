package site

import "testing"

func updLink(from, to *Claim) {
	from.Updates = append(from.Updates, to)
	to.UpdatedBy = append(to.UpdatedBy, from)
}

// m.Claims is newest first (claimOrder); the claim of the lowest id in a
// circle may come after another of the circle.
func TestCircleKeptOnLowestIDWhenItComesLater(t *testing.T) {
	a, b := &Claim{ID: "a"}, &Claim{ID: "b"}
	updLink(a, b)
	updLink(b, a)
	markCircles([]*Claim{b, a}) // b is newer
	if len(a.circle) != 2 {
		t.Errorf("circle of a and b lost: a.circle = %v, b.circle = %v", a.circle, b.circle)
	}
}

func TestCircleFromOutsideRoot(t *testing.T) {
	x, a, b, y := &Claim{ID: "0"}, &Claim{ID: "a"}, &Claim{ID: "b"}, &Claim{ID: "y"}
	updLink(y, x)
	updLink(x, a)
	updLink(a, b)
	updLink(b, a)
	markCircles([]*Claim{x, y, a, b})
	if len(a.circle) != 2 {
		t.Errorf("circle of a and b lost: a.circle = %v", a.circle)
	}
}

func TestCircleRandomAgainstReachability(t *testing.T) {
	r := uint64(1)
	rnd := func(n int) int { r = r*6364136223846793005 + 1442695040888963407; return int(r>>33) % n }
	for iter := 0; iter < 3000; iter++ {
		n := 1 + rnd(8)
		cs := make([]*Claim, n)
		for i := range cs {
			cs[i] = &Claim{ID: string(rune('a' + i))}
		}
		adj := make([][]bool, n)
		for i := range adj {
			adj[i] = make([]bool, n)
		}
		for e := rnd(n * 2); e > 0; e-- {
			i, j := rnd(n), rnd(n)
			if i != j && !adj[i][j] {
				adj[i][j] = true
				updLink(cs[i], cs[j])
			}
		}
		reach := make([][]bool, n)
		for i := range reach {
			reach[i] = slicesClone(adj[i])
			reach[i][i] = true
		}
		for k := 0; k < n; k++ {
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if reach[i][k] && reach[k][j] {
						reach[i][j] = true
					}
				}
			}
		}
		order := make([]*Claim, n)
		for i, p := range permute(n, rnd) {
			order[i] = cs[p]
		}
		markCircles(order)
		for i := 0; i < n; i++ {
			lowest := i
			size := 0
			for j := 0; j < n; j++ {
				if reach[i][j] && reach[j][i] {
					size++
					if j < lowest {
						lowest = j
					}
				}
			}
			want := 0
			if lowest == i && size > 1 {
				want = size
			}
			if len(cs[i].circle) != want {
				t.Fatalf("iter %d claim %s: circle %d, want %d", iter, cs[i].ID, len(cs[i].circle), want)
			}
		}
	}
}

func slicesClone(b []bool) []bool { return append([]bool(nil), b...) }

func permute(n int, rnd func(int) int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := rnd(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}
