// Pouch web console: ticks survey deadline countdowns once a minute (the server renders the
// first value; this only keeps it current between the tracker's 30-second refreshes).
(function () {
  function render(el) {
    var deadline = Date.parse(el.getAttribute('data-deadline'));
    if (isNaN(deadline)) { return; }
    var minutes = Math.trunc((deadline - Date.now()) / 60000);
    var a = Math.abs(minutes);
    el.textContent = (minutes < 0 ? '-' : '') + Math.floor(a / 1440) + 'd ' + Math.floor(a % 1440 / 60) + 'h ' + (a % 60) + 'm';
    el.classList.toggle('past', minutes < 0);
  }
  function tick() { document.querySelectorAll('.countdown[data-deadline]').forEach(render); }
  document.addEventListener('DOMContentLoaded', function () { tick(); setInterval(tick, 60000); });
  document.addEventListener('htmx:afterSwap', tick);
})();
