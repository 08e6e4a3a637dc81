package desktop

import "testing"

func TestSystemZoneFollowsTZ(t *testing.T) {
	t.Setenv("TZ", "Asia/Tokyo")
	if loc, ok := SystemZone(); !ok || loc.String() != "Asia/Tokyo" {
		t.Fatalf("TZ=Asia/Tokyo: %v, %v", loc, ok)
	}
	t.Setenv("TZ", ":Europe/Berlin")
	if loc, ok := SystemZone(); !ok || loc.String() != "Europe/Berlin" {
		t.Fatalf("TZ=:Europe/Berlin: %v, %v", loc, ok)
	}
	t.Setenv("TZ", "Nowhere/Atlantis")
	if _, ok := SystemZone(); ok {
		t.Fatal("an unknown zone was accepted")
	}
}
