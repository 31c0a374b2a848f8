//! The JSON record of one analysed document, as `marsad analyze` prints it
//! (code-point offsets). Being implemented.
