#!/usr/bin/env python3
"""The dashboard against a gateway without tokens (loopback: the page opens directly) and
with `[sms] shift_tables = ["turkish"]`: the send form counts as the codec does with the
Turkish national tables (the server's 202 answer is the truth)."""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Run, Simulator  # noqa: E402
from page import PageTest  # noqa: E402

run = None


def setUpModule():
    global run
    run = Run.start("shift-tables", ShiftTables, 2, browser="turkish",
                    extra='[sms]\nshift_tables = ["turkish"]')


def tearDownModule():
    run.finish(PageTest.last_result)


class ShiftTables(PageTest):
    def test_1_opens_without_sign_in(self):
        self.b.driver.get(self.gw.url + "/")
        self.wait_app()
        self.assertFalse(self.b.find("#signin-screen").is_displayed())
        self.assertIsNone(self.b.js("return sessionStorage.getItem('smsgw.token')"))
        self.b.wait(lambda d: len(self.b.find_all("#view-overview [data-testid=modem-tile]")) == 2, 15, "2 modem tiles")
        for i in range(2):
            tile = self.b.find(f"#view-overview [data-testid=modem-tile][data-modem-id=modem{i}]")
            self.assertIn(Simulator.operator(i), tile.find_element("css selector", "[data-field=operator]").text)

    def test_2_turkish_counts_match_the_server(self):
        if not self.signed_in():
            self.b.driver.get(self.gw.url + "/")
            self.wait_app()
        self.goto("send")
        texts = [
            "Günaydın! Işıklar söndü, şimdi ne yapacağız?",  # the Turkish locking shift table
            "ş" * 155,  # one part: 160 septets minus a UDH with one national IE
            "ş" * 156,
            "ğ" * 149 * 2,  # two parts of 149
            "ğ" * 149 * 2 + "ı",
            "Fiyat: 5€ {indirim}",
            "İstanbul [merkez] ~ Ankara ^ Çeşme",
            "Plain ASCII text",
            "Türkçe ve русский",  # no table has both: UCS-2
        ]
        for text in texts:
            with self.subTest(text=text[:24], length=len(text)):
                self.fill_send_form("+4915112345678", text, send_at=self.tomorrow())
                counted = self.counted()
                result = self.submit_send_form()
                self.assertTrue(result.get_attribute("data-message-id"), result.text)
                server = (result.get_attribute("data-encoding"), int(result.get_attribute("data-parts")))
                self.assertEqual(counted, server)
        # The Turkish tables are what made the first text GSM-7.
        self.fill_send_form("+4915112345678", texts[0])
        self.assertEqual(self.counted(), ("gsm7", 1))
        self.assertIn("Turkish", self.b.find("#send-encoding").text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
