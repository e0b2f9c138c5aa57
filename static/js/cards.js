// cards.js: a claim's card by touch. Without it the card opens on hover and
// on keyboard focus (style.css) and a tap on the claim's mark goes to the
// claim's page, so a phone never shows it. With it, a tap (or pen) on the
// mark opens the card and leaves the page where it is; a second tap on the
// mark, or a link inside the card, goes on. Escape and a tap outside close
// the card. The mark says whether its card is open in aria-expanded.
(function () {
  'use strict';
  var marks = document.querySelectorAll('.claim > .claim-mark');
  if (!marks.length || !document.documentElement.classList) return;
  document.documentElement.classList.add('cards-js');

  // The kind of pointer of the press that the coming click ends: mice
  // keep the mark a link, their hover shows the card already.
  var pointer = '';
  document.addEventListener('pointerdown', function (e) { pointer = e.pointerType; }, true);

  function claimOf(mark) { return mark.parentNode; }

  function setOpen(mark, open) {
    var claim = claimOf(mark);
    mark.setAttribute('aria-expanded', open ? 'true' : 'false');
    claim.classList.toggle('card-open', open);
    if (open) claim.classList.remove('card-shut');
  }

  function openMarks() {
    return document.querySelectorAll('.claim-mark[aria-expanded="true"]');
  }

  function closeAll(except) {
    var open = openMarks();
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) setOpen(open[i], false);
    }
  }

  // A card is as wide as the paragraph allows; here it is moved to start
  // below its mark where that keeps it inside its paragraph. In a page
  // written right to left it starts at the mark's right edge, measured
  // from the paragraph's right, as the stylesheet's inset-inline-start.
  function place(mark) {
    var card = claimOf(mark).querySelector(':scope > .claim-card');
    if (!card) return;
    card.style.left = '';
    card.style.right = '';
    var box = card.offsetParent;
    if (!box) return;
    var room = box.clientWidth - card.offsetWidth;
    var b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
    var rtl = getComputedStyle(box).direction === 'rtl';
    var want = rtl ? b.right - m.right : m.left - b.left;
    card.style[rtl ? 'right' : 'left'] = Math.max(0, Math.min(room, want)) + 'px';
  }

  for (var i = 0; i < marks.length; i++) {
    var mark = marks[i];
    mark.setAttribute('aria-expanded', 'false');
    mark.addEventListener('click', function (e) {
      var m = e.currentTarget;
      var touch = pointer === 'touch' || pointer === 'pen';
      pointer = '';
      if (!touch || m.getAttribute('aria-expanded') === 'true') return; // go on to the claim's page
      e.preventDefault();
      closeAll(m);
      setOpen(m, true);
      place(m);
    });
    // Hover and focus show the card as style.css says; a card shut with
    // Escape stays shut until they leave.
    var claim = claimOf(mark);
    claim.addEventListener('mouseleave', function (e) { e.currentTarget.classList.remove('card-shut'); });
    claim.addEventListener('focusout', function (e) {
      var c = e.currentTarget;
      if (!c.contains(e.relatedTarget)) c.classList.remove('card-shut');
    });
    claim.addEventListener('mouseenter', function (e) { place(e.currentTarget.querySelector(':scope > .claim-mark')); });
    claim.addEventListener('focusin', function (e) { place(e.currentTarget.querySelector(':scope > .claim-mark')); });
  }

  document.addEventListener('keydown', function (e) {
    pointer = ''; // a click from the keyboard follows the link
    if (e.key !== 'Escape' && e.key !== 'Esc') return;
    var open = openMarks();
    // Focus inside a card about to be hidden goes back to its mark, not to
    // the top of the page; so does focus in a card a tap opened.
    var focused = document.activeElement;
    var inCard = focused && focused.closest && focused.closest('.claim-card');
    if (inCard) claimOf(inCard).querySelector(':scope > .claim-mark').focus();
    else if (open.length === 1 && claimOf(open[0]).contains(focused)) open[0].focus();
    closeAll(null);
    // The card of the claim under focus or hover is shut too: the
    // innermost, where a claim holds another in its words, as that is
    // the card that shows (style.css).
    var held = document.querySelectorAll('.claim:focus-within, .claim:hover');
    for (var i = 0; i < held.length; i++) {
      if (!held[i].querySelector('.claim:focus-within, .claim:hover')) held[i].classList.add('card-shut');
    }
  });

  document.addEventListener('click', function (e) {
    var open = openMarks();
    for (var i = 0; i < open.length; i++) {
      if (!claimOf(open[i]).contains(e.target)) setOpen(open[i], false);
    }
  });
})();
