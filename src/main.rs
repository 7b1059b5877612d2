fn main() {
    xiafang::start();
}
