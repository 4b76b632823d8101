// A throw-away certificate authority for TLS tests, made with OpenSSL's C API (no `openssl`
// command needed): a self-signed CA and server certificates it signs for the names and IP
// addresses given (subjectAltName, RFC 5280 4.2.1.6), each with a P-256 key, as PEM text.
// Header-only; link OpenSSL::Crypto.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace smsgw::test {

struct PemPair {
  std::string certificate;  // PEM
  std::string key;          // PEM (PKCS#8, unencrypted)
};

class TestCa {
 public:
  explicit TestCa(const std::string& common_name = "smsgw test CA") {
    key_.reset(EVP_EC_gen("P-256"));
    if (!key_) throw std::runtime_error("TestCa: cannot make a key");
    cert_.reset(make(common_name, key_.get(), nullptr, nullptr, {}, true));
  }

  // PEM of the CA certificate (what a client trusts, e.g. [http] ca_file).
  [[nodiscard]] std::string certificate_pem() const { return pem_of(cert_.get()); }

  // A server certificate for `dns_names` and `ip_addresses`, signed by this CA.
  [[nodiscard]] PemPair issue(const std::vector<std::string>& dns_names,
                              const std::vector<std::string>& ip_addresses = {}) const {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::vector<std::string> alt;
    for (const auto& name : dns_names) alt.push_back("DNS:" + name);
    for (const auto& ip : ip_addresses) alt.push_back("IP:" + ip);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        make(dns_names.empty() ? "server" : dns_names.front(), key.get(), cert_.get(), key_.get(),
             alt, false),
        X509_free);
    return PemPair{pem_of(cert.get()), key_pem(key.get())};
  }

 private:
  static X509* make(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                    const std::vector<std::string>& alt_names, bool ca) {
    static long serial = 1;
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
    auto add = [&](int nid, const std::string& value) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
      if (ext == nullptr) throw std::runtime_error("TestCa: bad extension " + value);
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    };
    if (ca) {
      add(NID_basic_constraints, "critical,CA:TRUE");
      add(NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add(NID_basic_constraints, "critical,CA:FALSE");
      add(NID_ext_key_usage, "serverAuth");
      std::string alt;
      for (const auto& entry : alt_names) alt += (alt.empty() ? "" : ",") + entry;
      if (!alt.empty()) add(NID_subject_alt_name, alt);
    }
    add(NID_subject_key_identifier, "hash");
    if (X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
      throw std::runtime_error("TestCa: cannot sign");
    }
    return cert;
  }

  static std::string from_bio(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    return out;
  }
  static std::string pem_of(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    return from_bio(bio);
  }
  static std::string key_pem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    return from_bio(bio);
  }

  struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  };
  struct CertFree {
    void operator()(X509* c) const { X509_free(c); }
  };
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::unique_ptr<X509, CertFree> cert_;
};

inline void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace smsgw::test
