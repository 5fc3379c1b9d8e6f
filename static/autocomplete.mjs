// Progressive enhancement: each <select data-s26-autocomplete> becomes GOV.UK's accessible autocomplete
// (npm accessible-autocomplete, served from static/autocomplete/). The select stays in the page and is what
// the form sends; without JavaScript it is an ordinary select.
const selects = document.querySelectorAll('select[data-s26-autocomplete]')
if (selects.length && window.accessibleAutocomplete) {
  selects.forEach((selectElement) => {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement,
      defaultValue: '',
      showAllValues: true,
      tNoResults: () => 'No country or territory found'
    })
  })
}
