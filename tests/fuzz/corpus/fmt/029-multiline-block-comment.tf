/*
 * Licensed under the Apache License.
 *
 *   a = 1   <- not an attribute
 */
a = "real"

/*
resource "disabled" "x" {
  b = 2
}
*/
